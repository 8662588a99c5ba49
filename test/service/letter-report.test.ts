import ExcelJS from 'exceljs';
import mongoose, { type Types } from 'mongoose';
import { FEEDBACK_TOPICS, type FeedbackTopic } from '../../server/letters/letter-vocabulary';
import { launchedLetter, sendAllLetters } from '../support/letter-campaign';
import { answerLetter, closeTicket, followThroughTicket, openLetter, respondToTicket } from '../support/letter-feedback-writes';
import { seedArchives } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * B6 §6, issue #14: the term letter's report on the real service and database. A whole-school letter is
 * launched and sent through the real outbox; parents' opens and feedback and staff's handling of the
 * tickets are written as the contract describes (test/support/letter-feedback-writes.ts). Every figure of
 * the report is checked against a count made here from the records themselves; a college leader sees only
 * their college, a counselor only their families; the XLSX carries the same figures.
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let officer: Credentials;
let leaderA: Credentials;
let counselorA1: Credentials;
let counselorA2: Credentials;
let counselorB: Credentials;
let teacherA: Credentials;
let campaignId: string;

const HOUR = 3_600_000;
const now = Date.now();

interface LetterDoc { _id: string; college: Types.ObjectId; counselor?: Types.ObjectId; channel: string; delivery: { state: string }; openedAt?: Date; answeredAt?: Date }
interface TicketDoc { _id: string; college: Types.ObjectId; counselor?: Types.ObjectId; owner: Types.ObjectId; ownerName: string; topic: FeedbackTopic; state: string; receivedAt: Date; dueAt: Date; responses: Array<{ at: Date }>; followThrough: unknown[] }

const lettersOf = async () => (await mongoose.connection.collection('familyletters').find({ campaign: new mongoose.Types.ObjectId(campaignId) }).sort({ _id: 1 }).toArray()) as unknown as LetterDoc[];
const ticketsOf = async () => (await mongoose.connection.collection('feedbacktickets').find({ campaign: new mongoose.Types.ObjectId(campaignId) }).toArray()) as unknown as TicketDoc[];

/** The percentile the report promises (nearest rank), computed here from the raw hours. */
function percentile(hours: number[], p: number): number | null {
  if (!hours.length) return null;
  const sorted = [...hours].sort((a, b) => a - b);
  return Math.round(sorted[Math.ceil(p * sorted.length) - 1]! * 10) / 10;
}

/** The figures of a line, counted from the letters and tickets that belong to it. */
function count(letters: LetterDoc[], tickets: TicketDoc[]) {
  const hours = tickets.filter((x) => x.responses.length).map((x) => (Math.min(...x.responses.map((r) => new Date(r.at).getTime())) - new Date(x.receivedAt).getTime()) / HOUR);
  const closed = tickets.filter((x) => x.state === 'closed' && x.followThrough.length > 0).length;
  return {
    letters: letters.length,
    sent: letters.filter((l) => ['sent', 'delivered'].includes(l.delivery.state)).length,
    delivered: letters.filter((l) => l.delivery.state === 'delivered').length,
    failed: letters.filter((l) => l.delivery.state === 'failed').length,
    printed: letters.filter((l) => l.channel === 'print').length,
    opened: letters.filter((l) => l.openedAt).length,
    answered: letters.filter((l) => l.answeredAt).length,
    tickets: tickets.length,
    closedWithFollowThrough: closed,
    closedShare: tickets.length ? Math.round((1000 * closed) / tickets.length) / 10 : null,
    unfinished: tickets.filter((x) => x.state !== 'closed').length,
    responded: hours.length,
    responseHoursP50: percentile(hours, 0.5),
    responseHoursP90: percentile(hours, 0.9),
  };
}

const same = (a: Types.ObjectId | undefined | null, b: Types.ObjectId | undefined | null) => String(a ?? '') === String(b ?? '');

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A', '信息工程学院');
  B = await t.college('B', '经济管理学院');
  officer = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', A);
  counselorA1 = await t.staff('counselor', A, 'report.a1');
  counselorA2 = await t.staff('counselor', A, 'report.a2');
  counselorB = await t.staff('counselor', B, 'report.b');
  teacherA = await t.staff('teacher', A);
  // A: 30 students, 0–4 without a phone (printed letters); 0–14 counselorA1's, the rest counselorA2's. B: 20, counselorB's.
  await seedArchives(A, 'RA', 30, (i) => ({ counselor: i < 15 ? counselorA1.userId : counselorA2.userId, guardians: i < 5 ? [] : [{ name: '家长', relation: '父亲', phone: `1390000${String(i).padStart(4, '0')}` }] }));
  await seedArchives(B, 'RB', 20, (i) => ({ counselor: counselorB.userId, guardians: [{ name: '家长', relation: '母亲', phone: `1370000${String(i).padStart(4, '0')}` }] }));

  const launched = await launchedLetter(t, officer);
  campaignId = launched.id;
  await sendAllLetters(t, officer, campaignId);
  const letters = await lettersOf();
  // Some texts reach the phone (delivered), some fail after all.
  const outcomes = letters.flatMap((l, i) => (l.channel !== 'sms' ? [] : i % 5 === 1 ? [{ letter: l._id, state: 'delivered' }] : i % 7 === 3 ? [{ letter: l._id, state: 'failed', error: '号码停机' }] : []));
  const recorded = await t.request('POST', `/api/letter-campaigns/${campaignId}/deliveries`, { as: officer, body: { items: outcomes } });
  if (recorded.status !== 200) throw new Error(JSON.stringify(recorded.body));

  const staffById = new Map([counselorA1, counselorA2, counselorB].map((s) => [String(s.userId), s]));
  // Half the families open the letter — one of them on three devices at once (counted once) — and a quarter answer.
  await Promise.all([1, 2, 3].map(() => openLetter(letters[0]!._id, new Date(now - 50 * HOUR))));
  for (const [i, l] of letters.entries()) if (i % 2 === 0) await openLetter(l._id, new Date(now - 50 * HOUR));
  let n = 0;
  for (const [i, l] of letters.entries()) {
    if (i % 4 !== 0) continue;
    const owner = staffById.get(String(l.counselor)) ?? leaderA;
    const topics: FeedbackTopic[] = i % 8 === 0 ? [FEEDBACK_TOPICS[i % 5]!, 'other'] : [FEEDBACK_TOPICS[(i / 4) % 5]!];
    const items = [...new Set(topics)].map((topic) => ({ topic, text: `关于${topic}的建议`, owner, dueInHours: i % 12 === 4 ? -24 : 72 }));
    const receivedAt = new Date(now - 48 * HOUR);
    for (const id of await answerLetter(l._id, `sub-${i}`, items, receivedAt)) {
      n += 1;
      if (n % 3 === 0) continue; // still open (overdue when due in the past)
      await respondToTicket(id, owner, new Date(receivedAt.getTime() + n * 2.5 * HOUR));
      if (n % 3 === 1 && n % 2 === 1) {
        await followThroughTicket(id, owner, new Date(receivedAt.getTime() + n * 3 * HOUR));
        await closeTicket(id, owner, new Date(receivedAt.getTime() + n * 3 * HOUR));
      } else if (n % 4 === 2) {
        await followThroughTicket(id, owner, new Date(receivedAt.getTime() + n * 3 * HOUR)); // acted upon, not closed yet
      }
    }
  }
}, 180_000);
afterAll(async () => {
  await t.stop();
});

const report = (as: Credentials, query = '') => t.request('GET', `/api/letter-campaigns/${campaignId}/report${query}`, { as });

describe('the term letter’s report (B6 §6)', () => {
  it('B6: every figure matches a count of the records, in total, per college and per counselor', async () => {
    const [letters, tickets] = await Promise.all([lettersOf(), ticketsOf()]);
    expect(letters).toHaveLength(50);
    expect(tickets.length).toBeGreaterThan(12);
    const r = await report(officer);
    expect(r.status).toBe(200);
    expect(r.body.college).toBeNull();
    expect(r.body.totals).toEqual(count(letters, tickets));
    // The figures are not trivial: every kind occurs.
    for (const figure of ['sent', 'delivered', 'failed', 'printed', 'opened', 'answered', 'closedWithFollowThrough', 'unfinished', 'responded'] as const) expect(r.body.totals[figure]).toBeGreaterThan(0);

    expect(r.body.colleges.map((c: { college: { code: string } }) => c.college.code)).toEqual(['A', 'B']);
    for (const line of r.body.colleges) {
      const { college, ...figures } = line;
      expect(figures).toEqual(count(letters.filter((l) => String(l.college) === college.id), tickets.filter((x) => String(x.college) === college.id)));
    }
    expect(r.body.counselors.map((c: { counselor: { name: string } }) => c.counselor.name).sort()).toEqual(['report.a1', 'report.a2', 'report.b']);
    for (const line of r.body.counselors) {
      const { college, counselor, ...figures } = line;
      const mine = <T extends { college: Types.ObjectId; counselor?: Types.ObjectId }>(x: T) => String(x.college) === college.id && String(x.counselor ?? '') === String(counselor.id ?? '');
      expect(figures).toEqual(count(letters.filter(mine), tickets.filter(mine)));
    }

    // The campaign's own counters agree with the records.
    const progress = (await t.request('GET', `/api/letter-campaigns/${campaignId}/progress`, { as: officer })).body;
    expect({ sent: progress.sent, delivered: progress.delivered, failed: progress.failed, print: progress.print, opened: progress.opened, answered: progress.answered }).toEqual({
      sent: r.body.totals.sent, delivered: r.body.totals.delivered, failed: r.body.totals.failed, print: r.body.totals.printed, opened: r.body.totals.opened, answered: r.body.totals.answered,
    });

    for (const topic of r.body.topics) {
      const own = tickets.filter((x) => x.topic === topic.topic);
      expect(topic).toMatchObject({ tickets: own.length, open: own.filter((x) => x.state === 'open').length, responded: own.filter((x) => x.state === 'responded').length, closed: own.filter((x) => x.state === 'closed').length });
    }
    expect(r.body.topics.map((x: { topicZh: string }) => x.topicZh)).toEqual(['教学', '学生生活', '安全', '资助与收费', '其他']);

    const unfinished = tickets.filter((x) => x.state !== 'closed');
    const owners = [...new Set(unfinished.map((x) => String(x.owner)))];
    expect(r.body.owners).toHaveLength(owners.length);
    for (const owner of r.body.owners) {
      const own = unfinished.filter((x) => String(x.owner) === owner.id);
      expect(owner).toEqual({ id: owner.id, name: own[0]!.ownerName, unfinished: own.length, overdue: own.filter((x) => x.state === 'open' && new Date(x.dueAt).getTime() < Date.now()).length });
    }
    expect(r.body.owners.some((o: { overdue: number }) => o.overdue > 0)).toBe(true);
  });

  it('B6: a college leader sees their college, a counselor their families, a teacher nothing; another college is not found', async () => {
    const [letters, tickets] = await Promise.all([lettersOf(), ticketsOf()]);
    const ofA = <T extends { college: Types.ObjectId }>(x: T) => same(x.college, A);
    const leader = await report(leaderA);
    expect(leader.status).toBe(200);
    expect(leader.body.college).toMatchObject({ code: 'A' });
    expect(leader.body.totals).toEqual(count(letters.filter(ofA), tickets.filter(ofA)));
    expect(leader.body.colleges).toHaveLength(1);
    expect(leader.body.counselors.every((c: { college: { code: string } }) => c.college.code === 'A')).toBe(true);
    expect(leader.body.owners.every((o: { id: string }) => o.id !== String(counselorB.userId))).toBe(true);
    expect((await report(leaderA, '?college=A')).body.totals).toEqual(leader.body.totals);
    expect((await report(leaderA, '?college=B')).status).toBe(404);

    const mine = <T extends { counselor?: Types.ObjectId }>(x: T) => same(x.counselor, counselorA2.userId);
    const counselor = await report(counselorA2);
    expect(counselor.body.totals).toEqual(count(letters.filter(mine), tickets.filter(mine)));
    expect(counselor.body.counselors.map((c: { counselor: { name: string } }) => c.counselor.name)).toEqual(['report.a2']);

    const teacher = await report(teacherA);
    expect(teacher.status).toBe(200);
    expect(teacher.body.totals.letters).toBe(0);
    expect(teacher.body.owners).toEqual([]);

    const officerB = await report(officer, '?college=B');
    const ofB = <T extends { college: Types.ObjectId }>(x: T) => same(x.college, B);
    expect(officerB.body.totals).toEqual(count(letters.filter(ofB), tickets.filter(ofB)));
    expect((await report(officer, '?college=ZZ')).status).toBe(404);
    expect((await t.request('GET', '/api/letter-campaigns/0123456789abcdef01234567/report', { as: officer })).status).toBe(404);
  });

  it('B6: the XLSX has the five sheets with Chinese headings and the same figures', async () => {
    const json = (await report(officer)).body;
    const response = await fetch(`${t.url}/api/letter-campaigns/${campaignId}/report.xlsx`, { headers: { Cookie: officer.cookie! } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总', '学院', '辅导员', '反馈主题', '未办结']);
    const rows = (name: string) => {
      const sheet = workbook.getWorksheet(name)!;
      return Array.from({ length: sheet.rowCount }, (_, r) => Array.from({ length: sheet.columnCount }, (_, c) => sheet.getCell(r + 1, c + 1).value ?? null));
    };
    const summary = new Map(rows('汇总').map((r) => [r[0], r[1]]));
    expect(summary.get('信件数')).toBe(json.totals.letters);
    expect(summary.get('已读')).toBe(json.totals.opened);
    expect(summary.get('已反馈')).toBe(json.totals.answered);
    expect(summary.get('发送失败')).toBe(json.totals.failed);
    expect(summary.get('办结率（%）')).toBe(json.totals.closedShare);
    expect(summary.get('首次回应中位数（小时）')).toBe(json.totals.responseHoursP50);
    expect(summary.get('首次回应P90（小时）')).toBe(json.totals.responseHoursP90);

    const colleges = rows('学院');
    expect(colleges[0]).toEqual(['学院', '信件数', '已发送', '已送达', '发送失败', '纸质信', '已读', '已反馈', '反馈条数', '有落实已办结', '办结率（%）', '未办结', '首次回应中位数（小时）', '首次回应P90（小时）']);
    const a = json.colleges[0];
    expect(colleges[1]).toEqual(['信息工程学院', a.letters, a.sent, a.delivered, a.failed, a.printed, a.opened, a.answered, a.tickets, a.closedWithFollowThrough, a.closedShare, a.unfinished, a.responseHoursP50, a.responseHoursP90]);
    const counselors = rows('辅导员');
    expect(counselors[0]!.slice(0, 3)).toEqual(['辅导员', '学院', '信件数']);
    expect(counselors.slice(1).map((r) => r[0]).sort()).toEqual(['report.a1', 'report.a2', 'report.b']);
    const topics = rows('反馈主题');
    expect(topics[0]).toEqual(['主题', '反馈条数', '待回应', '已回应', '已办结']);
    expect(topics.slice(1).map((r) => [r[0], r[1]])).toEqual(json.topics.map((x: { topicZh: string; tickets: number }) => [x.topicZh, x.tickets]));
    const owners = rows('未办结');
    expect(owners[0]).toEqual(['负责人', '未办结', '已超期']);
    expect(owners.slice(1)).toEqual(json.owners.map((o: { name: string; unfinished: number; overdue: number }) => [o.name, o.unfinished, o.overdue]));

    const leaderXlsx = await fetch(`${t.url}/api/letter-campaigns/${campaignId}/report.xlsx`, { headers: { Cookie: leaderA.cookie! } });
    const leaderBook = new ExcelJS.Workbook();
    await leaderBook.xlsx.load(await leaderXlsx.arrayBuffer());
    expect(leaderBook.getWorksheet('学院')!.rowCount).toBe(2);
  });
});
