import { randomUUID } from 'node:crypto';
import mongoose, { type Types } from 'mongoose';
import { addWorkingDays } from '../../server/calendar/working-days';
import { onDomainEvent, type DomainEvent } from '../../server/events/event-bus';
import { FamilyLetterModel } from '../../server/letters/family-letter.model';
import { FeedbackTicketModel } from '../../server/letters/feedback-ticket.model';
import { LetterCampaignModel } from '../../server/letters/letter-campaign.model';
import { redactLetterToken } from '../../server/letters/parent/redact-token';
import { ROUTING_RULES_ID, RoutingRulesModel } from '../../server/letters/routing-rules.model';
import { LETTER_HTML, launchedLetter, sendAllLetters, tokenOf, type OutboxItem } from '../support/letter-campaign';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * The parent's side of the term letter (issue #14, B6 §3–§4) over real HTTP on the real database: the link
 * is the only key, every refusal looks the same, the read and the first answer are counted once however many
 * requests race, feedback becomes routed tickets once however often it is retried, and the page says nothing
 * about anyone but the family's greeting.
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let officer: Credentials;
let counselorA: Credentials;
let counselorB: Credentials;
let leaderA: Credentials;
let teachingA: Credentials;
let academicOffice: Credentials;
let safetyOffice: Credentials;
let campaignId: string;
let links: Map<string, OutboxItem>;
let pictureId: string;
let otherFileId: string;
const events: DomainEvent[] = [];
let stopListening: () => void;

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);

async function upload(as: Credentials, content: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), '校园.jpg');
  const response = await fetch(`${t.url}/api/files`, { method: 'POST', headers: { Cookie: as.cookie! }, body: form });
  const body = (await response.json()) as { id: string };
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

/** The token of the letter that reaches the family of a seeded student. */
async function tokenFor(studentNo: string): Promise<string> {
  const student = await mongoose.connection.collection('students').findOne({ studentNo });
  const letter = await FamilyLetterModel.findOne({ campaign: campaignId, students: student!._id }, { _id: 1 }).lean();
  const item = links.get(String(letter!._id));
  if (!item) throw new Error(`no link for ${studentNo}`);
  return tokenOf(item.link);
}

const letterIdOf = (token: string) => token.split('.')[0]!;
const page = (token: string) => t.request('GET', `/api/parent-letters/${token}`);
const answer = (token: string, body: unknown) => t.request('POST', `/api/parent-letters/${token}/feedback`, { body });
const reopen = (token: string, ticket: string, reason = '') => t.request('POST', `/api/parent-letters/${token}/tickets/${encodeURIComponent(ticket)}/reopen`, { body: { reason } });
const progress = async () => (await t.request('GET', `/api/letter-campaigns/${campaignId}/progress`, { as: officer })).body as { opened: number; answered: number };
const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

beforeAll(async () => {
  t = await startTestService({ HSB_LETTER_RATE_LIMIT: '10000' });
  A = await t.college('A', '机电工程学院');
  B = await t.college('B', '经济管理学院');
  officer = await t.staff('studentAffairs');
  counselorA = await t.staff('counselor', A);
  counselorB = await t.staff('counselor', B);
  leaderA = await t.staff('collegeLeader', A);
  teachingA = await t.staff('teacher', A);
  academicOffice = await t.staff('studentAffairs', undefined, 'academic.office');
  safetyOffice = await t.staff('studentAffairs', undefined, 'safety.office');
  // College A: 0–15 counselorA's, 16–17 without a counselor (their feedback goes to the college's leader).
  await seedArchives(A, 'PA', 18, (i) => ({ counselor: i < 16 ? counselorA.userId : undefined, guardians: [{ name: '家长', relation: '父亲', phone: `1380000${String(i).padStart(4, '0')}` }] }));
  await seedArchives(B, 'PB', 2, (i) => ({ counselor: counselorB.userId, guardians: [{ name: '家长', relation: '母亲', phone: `1370000000${i}` }] }));
  pictureId = await upload(officer, JPEG);
  otherFileId = await upload(officer, Buffer.concat([JPEG, Buffer.from('other')]));
  const launched = await launchedLetter(t, officer, { html: `${LETTER_HTML}<p><img src="/api/files/${pictureId}" alt="新校区"></p>`, responseDays: 3 });
  campaignId = launched.id;
  links = await sendAllLetters(t, officer, campaignId);
  stopListening = onDomainEvent(async (event) => {
    events.push(event);
  });
}, 180_000);
afterAll(async () => {
  stopListening?.();
  await t?.stop();
});

describe('the parent’s letter page (B6)', () => {
  it('B6: the page is served without signing in, and a link’s secret never reaches the request log', async () => {
    const token = await tokenFor(seededNumber('PA', 0));
    const response = await fetch(`${t.url}/l/${token}`, { redirect: 'manual' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await response.text()).toContain('/assets/app/letter.js');

    const [id, secret] = token.split('.');
    for (const url of [`/l/${token}`, `/api/parent-letters/${token}`, `/api/parent-letters/${token}/pictures/${pictureId}`, `/API/Parent-Letters/${token}/feedback`, `/l/${secret}?x=1`]) {
      const logged = redactLetterToken(url);
      expect(logged).not.toContain(secret);
      expect(logged).toContain('[redacted]');
    }
    expect(redactLetterToken(`/l/${token}`)).toBe(`/l/${id}.[redacted]`);
    expect(redactLetterToken('/api/students?q=1')).toBe('/api/students?q=1');
  });

  it('B6: ten parallel opens make one read receipt: openedAt once, progress.opened +1, one letter.opened event', async () => {
    const token = await tokenFor(seededNumber('PA', 1));
    const before = await progress();
    const opens = await Promise.all(Array.from({ length: 10 }, () => page(token)));
    expect(opens.map((r) => r.status)).toEqual(Array(10).fill(200));
    const letter = await FamilyLetterModel.findById(letterIdOf(token)).lean();
    expect(letter!.openedAt).toBeInstanceOf(Date);
    expect(letter!.opens).toBe(10);
    expect((await progress()).opened).toBe(before.opened + 1);
    const opened = events.filter((e) => e.type === 'letter.opened' && e.payload.letter === letterIdOf(token));
    expect(opened).toHaveLength(1);
    expect(opened[0]!.payload).toMatchObject({ campaign: campaignId, college: String(A), counselor: String(counselorA.userId) });
    expect(JSON.stringify(opened[0]!.payload)).not.toContain(token.split('.')[1]);

    const firstOpen = letter!.openedAt!.getTime();
    expect((await page(token)).status).toBe(200);
    const again = await FamilyLetterModel.findById(letterIdOf(token)).lean();
    expect(again!.openedAt!.getTime()).toBe(firstOpen);
    expect(again!.opens).toBe(11);
    expect((await progress()).opened).toBe(before.opened + 1);
  });

  it('B6: the page shows the letter, the greeting and nothing else about the family, the school or its staff', async () => {
    const token = await tokenFor(seededNumber('PA', 2));
    expect((await answer(token, { submissionId: randomUUID(), items: [{ topic: 'teaching', text: '希望多安排实践课' }], contactWish: { wanted: true, phone: '13912345678', when: '晚上' } })).status).toBe(201);
    const ticket = await FeedbackTicketModel.findOne({ letter: letterIdOf(token) }).lean();
    // A response written by staff (the staff routes are elsewhere: written to the model here).
    await FeedbackTicketModel.updateOne({ _id: ticket!._id }, { $set: { state: 'responded' }, $push: { responses: { text: '下学期增加两门实践课', by: counselorA.userId, byName: counselorA.username, at: new Date() } }, $inc: { revision: 1 } });

    const response = await page(token);
    expect(response.status).toBe(200);
    const body = response.body;
    expect(Object.keys(body).sort()).toEqual(['canAnswer', 'feedbackDueAt', 'feedbacks', 'greeting', 'html', 'term', 'termLabel', 'title', 'topics']);
    expect(body.greeting).toBe('学生PA2');
    expect(body.html).toContain('本学期学校在教学');
    expect(body.html).toContain(`src="/api/parent-letters/${token}/pictures/${pictureId}"`);
    expect(body.html).not.toContain('/api/files/');
    expect(body.canAnswer).toBe(true);
    expect(body.topics).toEqual([
      { value: 'teaching', label: '教学' },
      { value: 'studentLife', label: '学生生活' },
      { value: 'safety', label: '安全' },
      { value: 'finances', label: '资助与收费' },
      { value: 'other', label: '其他' },
    ]);
    expect(body.feedbacks).toHaveLength(1);
    expect(Object.keys(body.feedbacks[0]).sort()).toEqual(['canReopen', 'followThrough', 'id', 'receivedAt', 'responses', 'state', 'stateLabel', 'text', 'topic', 'topicLabel']);
    expect(body.feedbacks[0]).toMatchObject({ topic: 'teaching', topicLabel: '教学', state: 'responded', stateLabel: '已回应', canReopen: true, text: '希望多安排实践课' });
    expect(Object.keys(body.feedbacks[0].responses[0]).sort()).toEqual(['at', 'text']);

    const text = JSON.stringify(body);
    const student = await mongoose.connection.collection('students').findOne({ studentNo: seededNumber('PA', 2) });
    const letter = await FamilyLetterModel.findById(letterIdOf(token)).lean();
    for (const secret of [seededNumber('PA', 2), 'PA0000', String(student!._id), '13800000002', '1380000', '13912345678', '父亲', String(A), '机电工程学院', campaignId, String(counselorA.userId), counselorA.username, String(officer.userId), officer.username, String(letter!.counselor), letter!.tokenHash, 'routedBy', 'owner', 'dueAt', 'contactWish']) {
      expect(text).not.toContain(secret);
    }
  });

  it('B6: an unknown letter, a wrong secret, a revoked link and a closed campaign all get the same 404', async () => {
    const token = await tokenFor(seededNumber('PA', 3));
    expect((await page(token)).status).toBe(200);
    const revoked = await t.request('POST', `/api/family-letters/${letterIdOf(token)}/revoke`, { as: officer });
    expect(revoked.status).toBe(200);
    const fresh = tokenOf(revoked.body.link);
    expect((await page(fresh)).status).toBe(200);

    const otherToken = await tokenFor(seededNumber('PA', 4));
    const secret = otherToken.split('.')[1]!;
    const wrongSecret = `${letterIdOf(otherToken)}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const unknown = `0123456789abcdef01234567.${secret}`;
    const refusals = [
      await page(token),
      await page(wrongSecret),
      await page(unknown),
      await page('not-a-token'),
      await answer(token, { submissionId: randomUUID(), items: [{ topic: 'other', text: '旧链接' }] }),
      await answer(wrongSecret, { nonsense: true }),
      await t.request('GET', `/api/parent-letters/${token}/pictures/${pictureId}`),
      await reopen(wrongSecret, `${letterIdOf(otherToken)}:x:other`),
    ];
    expect(refusals.map((r) => r.status)).toEqual(Array(refusals.length).fill(404));
    expect(refusals[0]!.body.code).toBe('LETTER_NOT_FOUND');
    for (const refusal of refusals) expect(withoutRequestId(refusal.body)).toEqual(withoutRequestId(refusals[0]!.body));
    expect(await FeedbackTicketModel.countDocuments({ letter: letterIdOf(token) })).toBe(0);

    // A closed campaign: every link of it, even one that worked a moment ago, gets the very same answer.
    const closedCampaign = await launchedLetter(t, officer, { audience: { colleges: ['B'] } });
    const closedLinks = await sendAllLetters(t, officer, closedCampaign.id);
    const closedToken = tokenOf([...closedLinks.values()][0]!.link);
    expect((await page(closedToken)).status).toBe(200);
    expect((await t.request('POST', `/api/letter-campaigns/${closedCampaign.id}/close`, { as: officer })).status).toBe(200);
    const closed = await page(closedToken);
    expect(closed.status).toBe(404);
    expect(withoutRequestId(closed.body)).toEqual(withoutRequestId(refusals[0]!.body));
  });

  it('B6: feedback retried in parallel with the same submission id makes its tickets once; the first answer is counted once', async () => {
    const token = await tokenFor(seededNumber('PA', 5));
    const before = await progress();
    const submission = { submissionId: randomUUID(), items: [{ topic: 'studentLife', text: '宿舍热水时间能否延长？' }, { topic: 'finances', text: '助学金何时发放？' }], contactWish: { wanted: true, phone: '139 1234 5678', when: '周末上午' } };
    const sent = await Promise.all(Array.from({ length: 8 }, () => answer(token, submission)));
    expect(sent.map((r) => r.status)).toEqual(Array(8).fill(201));
    const tickets = await FeedbackTicketModel.find({ letter: letterIdOf(token) }).sort({ topic: 1 }).lean();
    expect(tickets.map((ticket) => ticket._id)).toEqual([`${letterIdOf(token)}:${submission.submissionId}:finances`, `${letterIdOf(token)}:${submission.submissionId}:studentLife`]);
    for (const ticket of tickets) {
      expect(ticket).toMatchObject({ state: 'open', routedBy: 'counselor', ownerName: counselorA.username, contactWish: { wanted: true, phone: '139 1234 5678', when: '周末上午' }, revision: 1 });
      expect(String(ticket.owner)).toBe(String(counselorA.userId));
      expect(String(ticket.college)).toBe(String(A));
      expect(ticket.dueAt.getTime()).toBe(addWorkingDays(ticket.receivedAt, 3).getTime());
    }
    const letter = await FamilyLetterModel.findById(letterIdOf(token)).lean();
    expect(letter!.feedbacks).toBe(1);
    expect(letter!.answeredAt).toBeInstanceOf(Date);
    expect(letter!.openedAt).toBeInstanceOf(Date);
    const after = await progress();
    expect(after.answered).toBe(before.answered + 1);
    expect(after.opened).toBe(before.opened + 1);
    const received = events.filter((e) => e.type === 'feedback.received' && e.payload.letter === letterIdOf(token));
    expect(received.map((e) => e.payload.ticket).sort()).toEqual(tickets.map((ticket) => ticket._id));
    expect(JSON.stringify(received)).not.toContain('宿舍热水');
    expect(sent[0]!.body.feedbacks).toHaveLength(2);

    // A second form is a second answer of the same family: counted on the letter, not again on the campaign.
    expect((await answer(token, { submissionId: randomUUID(), items: [{ topic: 'other', text: '谢谢老师' }] })).status).toBe(201);
    expect((await FamilyLetterModel.findById(letterIdOf(token)).lean())!.feedbacks).toBe(2);
    expect((await progress()).answered).toBe(before.answered + 1);
  });

  it('B6: the form is checked field by field, in Chinese and English', async () => {
    const token = await tokenFor(seededNumber('PA', 6));
    const bad = await answer(token, { submissionId: 'x', items: [{ topic: 'weather', text: '' }, { topic: 'teaching', text: '长'.repeat(2001) }], contactWish: { wanted: true, phone: 'call me' } });
    expect(bad.status).toBe(400);
    const paths = bad.body.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['contactWish.phone', 'items[0].text', 'items[0].topic', 'items[1].text', 'submissionId']);
    expect(bad.body.details.every((d: { message: string; messageEn: string }) => /[\u4e00-\u9fff]/.test(d.message) && d.messageEn)).toBe(true);
    expect(bad.body.details.find((d: { path: string }) => d.path === 'contactWish.phone').message).toContain('联系电话');

    const twice = await answer(token, { submissionId: randomUUID(), items: [{ topic: 'safety', text: '门口车多' }, { topic: 'safety', text: '还有' }] });
    expect(twice.status).toBe(400);
    expect(twice.body.details).toEqual([expect.objectContaining({ path: 'items[1].topic', rule: 'unique' })]);
    expect((await answer(token, { submissionId: randomUUID(), items: [] })).body.details[0].path).toBe('items');
    expect(await FeedbackTicketModel.countDocuments({ letter: letterIdOf(token) })).toBe(0);
  });

  it('B6: at most ten feedback forms a letter, even sent at once; a retry of one of them still answers 201', async () => {
    const token = await tokenFor(seededNumber('PA', 7));
    const forms = Array.from({ length: 13 }, (_, i) => ({ submissionId: randomUUID(), items: [{ topic: 'other', text: `第 ${i} 条建议` }] }));
    const sent = await Promise.all(forms.map((form) => answer(token, form)));
    const statuses = sent.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(10).fill(201), ...Array(3).fill(409)]);
    expect(sent.find((r) => r.status === 409)!.body.code).toBe('FEEDBACK_LIMIT');
    expect(await FeedbackTicketModel.countDocuments({ letter: letterIdOf(token) })).toBe(10);
    const accepted = forms[sent.findIndex((r) => r.status === 201)]!;
    expect((await answer(token, accepted)).status).toBe(201);
    expect(await FeedbackTicketModel.countDocuments({ letter: letterIdOf(token) })).toBe(10);
    const view = await page(token);
    expect(view.body.canAnswer).toBe(false);
    expect(view.body.feedbacks).toHaveLength(10);
  });

  it('B6: routing — the college’s rule for a topic beats the topic’s school-wide rule; else the counselor, else the college leader', async () => {
    await RoutingRulesModel.updateOne(
      { _id: ROUTING_RULES_ID },
      {
        $set: {
          rules: [
            { topic: 'teaching', owner: academicOffice.userId, note: '教务处' },
            { topic: 'teaching', college: A, owner: teachingA.userId, note: '机电学院教学办' },
            { topic: 'safety', owner: safetyOffice.userId, note: '保卫处' },
          ],
        },
        $inc: { revision: 1 },
      },
      { upsert: true },
    );
    try {
      const ownersOf = async (studentNo: string, topics: string[]) => {
        const token = await tokenFor(studentNo);
        const sent = await answer(token, { submissionId: randomUUID(), items: topics.map((topic) => ({ topic, text: `关于${topic}的建议` })) });
        expect(sent.status).toBe(201);
        const tickets = await FeedbackTicketModel.find({ letter: letterIdOf(token) }).lean();
        return Object.fromEntries(tickets.map((ticket) => [ticket.topic, { owner: String(ticket.owner), routedBy: ticket.routedBy }]));
      };
      expect(await ownersOf(seededNumber('PA', 8), ['teaching', 'safety', 'other'])).toEqual({
        teaching: { owner: String(teachingA.userId), routedBy: 'collegeRule' },
        safety: { owner: String(safetyOffice.userId), routedBy: 'topicRule' },
        other: { owner: String(counselorA.userId), routedBy: 'counselor' },
      });
      expect(await ownersOf(seededNumber('PB', 1), ['teaching', 'finances'])).toEqual({
        teaching: { owner: String(academicOffice.userId), routedBy: 'topicRule' },
        finances: { owner: String(counselorB.userId), routedBy: 'counselor' },
      });
      expect(await ownersOf(seededNumber('PA', 16), ['other', 'teaching'])).toEqual({
        other: { owner: String(leaderA.userId), routedBy: 'collegeLeader' },
        teaching: { owner: String(teachingA.userId), routedBy: 'collegeRule' },
      });
      // Someone no longer active is passed over: the college's teaching office left, the school-wide rule holds.
      await mongoose.connection.collection('users').updateOne({ _id: teachingA.userId }, { $set: { active: false } });
      expect((await ownersOf(seededNumber('PA', 9), ['teaching'])).teaching).toEqual({ owner: String(academicOffice.userId), routedBy: 'topicRule' });
    } finally {
      await mongoose.connection.collection('users').updateOne({ _id: teachingA.userId }, { $set: { active: true } });
      await RoutingRulesModel.deleteOne({ _id: ROUTING_RULES_ID });
    }
  });

  it('B6: “the answer did not help” reopens only an answered ticket of this letter, with a new deadline; a retry changes nothing', async () => {
    const token = await tokenFor(seededNumber('PA', 10));
    const otherToken = await tokenFor(seededNumber('PA', 11));
    const sent = await answer(token, { submissionId: randomUUID(), items: [{ topic: 'teaching', text: '作业太多' }, { topic: 'safety', text: '夜间照明' }] });
    const [teaching, safety] = ['teaching', 'safety'].map((topic) => sent.body.feedbacks.find((f: { topic: string }) => f.topic === topic).id as string);

    const notYet = await reopen(token, teaching!, '还没回复');
    expect(notYet.status).toBe(409);
    expect(notYet.body.code).toBe('TICKET_NOT_ANSWERED');

    // Staff answer and close (their routes are elsewhere: written to the model here).
    const answeredAt = new Date();
    const by = { by: counselorA.userId, byName: counselorA.username, at: answeredAt };
    await FeedbackTicketModel.updateOne({ _id: teaching }, { $set: { state: 'responded', remindedAt: answeredAt }, $push: { responses: { text: '已与任课老师沟通', ...by } }, $inc: { revision: 1 } });
    await FeedbackTicketModel.updateOne({ _id: safety }, { $set: { state: 'closed', closedAt: answeredAt, closedBy: counselorA.userId }, $push: { responses: { text: '已加装路灯', ...by }, followThrough: { text: '后勤处加装 6 盏路灯', ...by } }, $inc: { revision: 2 } });

    expect((await reopen(otherToken, teaching!)).status).toBe(404);
    expect((await reopen(otherToken, teaching!)).body.code).toBe('TICKET_NOT_FOUND');
    expect((await reopen(token, `${letterIdOf(token)}:nope:other`)).status).toBe(404);

    const before = (await FeedbackTicketModel.findById(teaching).lean())!;
    const reopened = await Promise.all([reopen(token, teaching!, '作业还是很多'), reopen(token, teaching!, '作业还是很多')]);
    expect(reopened.map((r) => r.status).sort()).toEqual(reopened.some((r) => r.status === 409) ? [200, 409] : [200, 200]);
    const again = await reopen(token, teaching!, '作业还是很多');
    expect(again.status).toBe(200);
    const ticket = (await FeedbackTicketModel.findById(teaching).lean())!;
    expect(ticket.state).toBe('open');
    expect(ticket.reopenings).toHaveLength(1);
    expect(ticket.reopenings[0]!.reason).toBe('作业还是很多');
    expect(ticket.revision).toBe(before.revision + 1);
    expect(ticket.remindedAt).toBeUndefined();
    expect(ticket.dueAt.getTime()).toBe(addWorkingDays(ticket.reopenings[0]!.at, 3).getTime());
    expect(ticket.dueAt.getTime()).toBeGreaterThan(before.dueAt.getTime() - 1);
    expect(again.body.feedbacks.find((f: { id: string }) => f.id === teaching)).toMatchObject({ state: 'open', stateLabel: '待回应', canReopen: false });

    const closedReopened = await reopen(token, safety!, '路灯不够亮');
    expect(closedReopened.status).toBe(200);
    const safetyTicket = (await FeedbackTicketModel.findById(safety).lean())!;
    expect(safetyTicket).toMatchObject({ state: 'open' });
    expect(safetyTicket.closedAt).toBeUndefined();
    expect(safetyTicket.closedBy).toBeUndefined();
    expect(safetyTicket.followThrough).toHaveLength(1);
  });

  it('B6: the pictures route serves the pictures the letter shows and no other file', async () => {
    const token = await tokenFor(seededNumber('PA', 12));
    const picture = await fetch(`${t.url}/api/parent-letters/${token}/pictures/${pictureId}`);
    expect(picture.status).toBe(200);
    expect(picture.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await picture.arrayBuffer()).equals(JPEG)).toBe(true);
    expect((await fetch(`${t.url}/api/parent-letters/${token}/pictures/${otherFileId}`)).status).toBe(404);
    expect((await fetch(`${t.url}/api/parent-letters/${token}/pictures/0123456789abcdef01234567`)).status).toBe(404);
    // The staff route still asks for an account.
    expect((await fetch(`${t.url}/api/files/${pictureId}`)).status).toBe(401);
  });

  it('B6: after the feedback deadline the page shows no form and a late form is refused; an answer can still be reopened', async () => {
    const token = await tokenFor(seededNumber('PA', 13));
    const sent = await answer(token, { submissionId: randomUUID(), items: [{ topic: 'other', text: '谢谢' }] });
    const ticket = sent.body.feedbacks[0].id as string;
    await FeedbackTicketModel.updateOne({ _id: ticket }, { $set: { state: 'responded' }, $push: { responses: { text: '感谢您的支持', by: counselorA.userId, byName: counselorA.username, at: new Date() } }, $inc: { revision: 1 } });
    const campaign = (await LetterCampaignModel.findById(campaignId, { feedbackDueAt: 1 }).lean())!;
    await LetterCampaignModel.updateOne({ _id: campaignId }, { $set: { feedbackDueAt: new Date(Date.now() - 60_000) } });
    try {
      expect((await page(token)).body.canAnswer).toBe(false);
      const late = await answer(token, { submissionId: randomUUID(), items: [{ topic: 'other', text: '迟到的建议' }] });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('FEEDBACK_CLOSED');
      expect(await FeedbackTicketModel.countDocuments({ letter: letterIdOf(token) })).toBe(1);
      expect((await reopen(token, ticket, '还有疑问')).status).toBe(200);
    } finally {
      await LetterCampaignModel.updateOne({ _id: campaignId }, { $set: { feedbackDueAt: campaign.feedbackDueAt } });
    }
  });
});
