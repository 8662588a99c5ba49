import { randomUUID } from 'node:crypto';
import mongoose, { type Types } from 'mongoose';
import { nearestRank } from '../../server/letters/report/letter-report';
import { launchedLetter, sendAllLetters, tokenOf, type OutboxItem } from '../support/letter-campaign';
import { seedArchives } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * One campaign the size of a small college, end to end through the API (issue #14): 3,000 families launched
 * and sent; 120 families open the letter and answer on the parent's API (160 feedbacks); staff answer every
 * ticket on the staff API and follow through and close two in three; every figure of the report is then
 * checked against the records and the test's own tally.
 */

const COLLEGES = ['LA', 'LB', 'LC'] as const;
const PER_COLLEGE = 1_000;
const TOPICS = ['teaching', 'studentLife', 'safety', 'finances', 'other'] as const;

let t: TestService;
let officer: Credentials;
const counselorOf = new Map<string, Credentials>();

beforeAll(async () => {
  // 120 parents on their own phones; here they all come from one address, which the per-address limit would stop.
  t = await startTestService({ HSB_LETTER_RATE_LIMIT: '10000' });
  officer = await t.staff('studentAffairs');
  for (const [c, code] of COLLEGES.entries()) {
    const college = await t.college(code);
    const counselor = await t.staff('counselor', college);
    counselorOf.set(String(counselor.userId), counselor);
    await seedArchives(college, code, PER_COLLEGE, (i) => ({ counselor: counselor.userId, guardians: [{ name: '家长', relation: '母亲', phone: `13${c}${String(i).padStart(8, '0')}` }] }));
  }
}, 300_000);
afterAll(async () => {
  await t.stop();
});

interface Ticket { id: string; topic: string; owner: { id: string }; receivedAt: string; responses: { at: string }[] }

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map((item, j) => work(item, i + j)));
}

describe('B6 a term letter to 3,000 families through the API', () => {
  it('launches one letter per family, takes 160 feedbacks from 120 parents, answers them all, and the report adds up', async () => {
    const { id, progress } = await launchedLetter(t, officer);
    expect(progress).toMatchObject({ families: 3_000, created: 3_000 });
    const sent = await sendAllLetters(t, officer, id);
    expect(sent.size).toBe(3_000);

    // Every 25th family opens its letter and answers; every third of them writes on two topics.
    const answering = [...sent.values()].filter((_, i) => i % 25 === 0);
    const tally = new Map<string, number>();
    await inParallel(answering, 8, async (item: OutboxItem, i) => {
      const token = tokenOf(item.link);
      expect((await t.request('GET', `/api/parent-letters/${token}`)).status).toBe(200);
      const topics = i % 3 === 0 ? [TOPICS[i % 5]!, TOPICS[(i + 1) % 5]!] : [TOPICS[i % 5]!];
      const answered = await t.request('POST', `/api/parent-letters/${token}/feedback`, { body: { submissionId: randomUUID(), items: topics.map((topic) => ({ topic, text: `第 ${i} 位家长关于${topic}的意见` })) } });
      expect(answered.status).toBe(201);
      for (const topic of topics) tally.set(topic, (tally.get(topic) ?? 0) + 1);
    });
    const feedbacks = [...tally.values()].reduce((a, b) => a + b, 0);
    expect(answering).toHaveLength(120);
    expect(feedbacks).toBe(160);

    const tickets: Ticket[] = [];
    for (let next: string | null = ''; next !== null;) {
      const page = await t.request('GET', `/api/feedback-tickets?campaign=${id}&limit=100${next ? `&after=${encodeURIComponent(next)}` : ''}`, { as: officer });
      expect(page.status).toBe(200);
      tickets.push(...(page.body.items as Ticket[]));
      next = page.body.next as string | null;
    }
    expect(tickets).toHaveLength(feedbacks);

    // Each ticket's owner (the family's counselor: no routing rules) answers; two in three are followed through and closed.
    let closed = 0;
    await inParallel(tickets, 8, async (ticket, i) => {
      const owner = counselorOf.get(ticket.owner.id);
      expect(owner).toBeDefined();
      const route = `/api/feedback-tickets/${encodeURIComponent(ticket.id)}`;
      expect((await t.request('POST', `${route}/response`, { as: owner, body: { text: `您好，关于第 ${i} 条意见，学院已安排专人处理。` } })).status).toBe(200);
      if (i % 3 === 2) {
        expect((await t.request('POST', `${route}/close`, { as: owner })).status).toBe(409);
        return;
      }
      expect((await t.request('POST', `${route}/follow-through`, { as: owner, body: { text: '已与相关部门沟通并落实整改。' } })).status).toBe(200);
      expect((await t.request('POST', `${route}/close`, { as: owner })).status).toBe(200);
      closed += 1;
    });

    const report = await t.request('GET', `/api/letter-campaigns/${id}/report`, { as: officer });
    expect(report.status).toBe(200);
    const letters = mongoose.connection.collection('familyletters');
    const campaign = new mongoose.Types.ObjectId(id);
    expect(report.body.totals).toMatchObject({
      letters: 3_000, sent: 3_000, opened: answering.length, answered: answering.length, tickets: feedbacks,
      closedWithFollowThrough: closed, unfinished: feedbacks - closed, closedShare: Math.round((1000 * closed) / feedbacks) / 10, responded: feedbacks,
    });
    for (const topic of TOPICS) {
      expect(report.body.topics.find((row: { topic: string }) => row.topic === topic)).toMatchObject({ tickets: tally.get(topic) ?? 0 });
    }
    for (const code of COLLEGES) {
      const line = report.body.colleges.find((row: { college: { code: string } }) => row.college.code === code);
      const college = (await mongoose.connection.collection('colleges').findOne({ code }))!._id as Types.ObjectId;
      expect(line).toMatchObject({
        letters: await letters.countDocuments({ campaign, college }),
        opened: await letters.countDocuments({ campaign, college, openedAt: { $exists: true } }),
        answered: await letters.countDocuments({ campaign, college, answeredAt: { $exists: true } }),
      });
      expect(line.letters).toBe(PER_COLLEGE);
    }
    const answeredTickets = await Promise.all(tickets.map(async (ticket) => (await t.request('GET', `/api/feedback-tickets/${encodeURIComponent(ticket.id)}`, { as: officer })).body as Ticket));
    const hours = answeredTickets.map((x) => (new Date(x.responses[0]!.at).getTime() - new Date(x.receivedAt).getTime()) / 3_600_000).sort((a, b) => a - b);
    expect(report.body.totals.responseHoursP50).toBe(Math.round(nearestRank(hours, 0.5)! * 10) / 10);
    expect(report.body.totals.responseHoursP90).toBe(Math.round(nearestRank(hours, 0.9)! * 10) / 10);
    const unfinishedByOwner = new Map<string, number>();
    for (const [i, ticket] of tickets.entries()) if (i % 3 === 2) unfinishedByOwner.set(ticket.owner.id, (unfinishedByOwner.get(ticket.owner.id) ?? 0) + 1);
    expect(Object.fromEntries(report.body.owners.map((o: { id: string; unfinished: number }) => [o.id, o.unfinished]))).toEqual(Object.fromEntries(unfinishedByOwner));
  }, 1_200_000);
});
