import type { Types } from 'mongoose';
import { onDomainEvent, type DomainEvent } from '../../server/events/event-bus';
import { FeedbackTicketModel } from '../../server/letters/feedback-ticket.model';
import { sweepTicketDeadlines } from '../../server/letters/tickets/ticket-deadlines';
import { UserModel } from '../../server/identity/user.model';
import { launchedLetter } from '../support/letter-campaign';
import { feedbackTicket, lettersOf, reopenTicket, type FixtureLetter } from '../support/letter-ticket-fixtures';
import { seedArchives } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * Term-letter feedback tickets, the staff side (issue #14, B6 §4) over real HTTP on the real database:
 * closing only with a response and a follow-through since the last reopening, who sees and who answers
 * which tickets, answers and closes made at the same moment, reassigning, the routing rules, the deadline
 * sweep escalating an overdue ticket once, and My tasks. Tickets are written by the fixture in the shape the
 * parent's feedback makes them (test/support/letter-ticket-fixtures.ts), on the letters of a launched campaign.
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let officer: Credentials;
let leaderA: Credentials;
let leaderB: Credentials;
let counselorA: Credentials;
let counselorA2: Credentials;
let counselorB: Credentials;
let teacherA: Credentials;
let lettersA: FixtureLetter[];
let lettersB: FixtureLetter[];
const events: DomainEvent[] = [];
let stopListening: () => void;

const route = (id: string, tail = '') => `/api/feedback-tickets/${encodeURIComponent(id)}${tail}`;
const stored = (id: string) => FeedbackTicketModel.findById(id).lean();

beforeAll(async () => {
  stopListening = onDomainEvent(async (event) => {
    events.push(event);
  });
  t = await startTestService();
  A = await t.college('A', '会计学院');
  B = await t.college('B', '信息学院');
  officer = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', A);
  leaderB = await t.staff('collegeLeader', B);
  counselorA = await t.staff('counselor', A);
  counselorA2 = await t.staff('counselor', A);
  counselorB = await t.staff('counselor', B);
  teacherA = await t.staff('teacher', A);
  await seedArchives(A, 'TA', 12, (i) => ({ counselor: i < 8 ? counselorA.userId : counselorA2.userId }));
  await seedArchives(B, 'TB', 3, () => ({ counselor: counselorB.userId }));
  const campaign = await launchedLetter(t, officer);
  lettersA = await lettersOf(campaign.id, { college: A, counselor: counselorA.userId });
  lettersB = await lettersOf(campaign.id, { college: B });
  if (lettersA.length < 8 || lettersB.length < 1) throw new Error(`letters: ${lettersA.length} of A, ${lettersB.length} of B`);
}, 120_000);
afterAll(async () => {
  stopListening?.();
  await t?.stop();
});

describe('feedback tickets, staff side (B6 §4)', () => {
  it('B6: a ticket closes only with a response and a follow-through, again after the parent reopens it', async () => {
    const id = await feedbackTicket(lettersA[0]!, { topic: 'teaching' });
    const fresh = await t.request('GET', route(id), { as: counselorA });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe('"1"');
    expect(fresh.body).toMatchObject({ id, state: 'open', stateLabel: '待回应', topicLabel: '教学', text: expect.stringContaining('家长开放日'), canClose: false, canAct: true });

    const none = await t.request('POST', route(id, '/close'), { as: counselorA });
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('TICKET_INCOMPLETE');
    expect(none.body.messageZh).toContain('不能办结');
    expect(none.body.messageEn).toContain('cannot be closed');
    expect(none.body.details.map((d: { path: string }) => d.path)).toEqual(['response', 'followThrough']);

    const answered = await t.request('POST', route(id, '/response'), { as: counselorA, body: { text: '下学期起每月第一个周五为家长开放日。' }, headers: { 'If-Match': '"1"' } });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('etag')).toBe('"2"');
    expect(answered.body.state).toBe('responded');
    expect(answered.body.responses).toEqual([expect.objectContaining({ text: '下学期起每月第一个周五为家长开放日。', by: String(counselorA.userId) })]);
    const noFollowThrough = await t.request('POST', route(id, '/close'), { as: counselorA });
    expect(noFollowThrough.status).toBe(409);
    expect(noFollowThrough.body.details.map((d: { path: string }) => d.path)).toEqual(['followThrough']);

    expect((await t.request('POST', route(id, '/follow-through'), { as: counselorA, body: { text: '已与教务处确定开放日安排并通知班主任。' } })).status).toBe(200);
    const closed = await t.request('POST', route(id, '/close'), { as: counselorA });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', closedBy: String(counselorA.userId), revision: 4 });
    expect((await t.request('POST', route(id, '/response'), { as: counselorA, body: { text: '补充' } })).body.code).toBe('TICKET_CLOSED');

    // The parent says it did not help: the earlier answer and follow-through no longer count.
    await reopenTicket(id);
    const reopened = await t.request('POST', route(id, '/close'), { as: counselorA });
    expect(reopened.status).toBe(409);
    expect(reopened.body.details.map((d: { path: string }) => d.path)).toEqual(['response', 'followThrough']);
    expect(reopened.body.messageZh).toContain('重新打开');
    expect((await t.request('POST', route(id, '/follow-through'), { as: counselorA, body: { text: '再次与教务处沟通。' } })).status).toBe(200);
    const noNewResponse = await t.request('POST', route(id, '/close'), { as: counselorA });
    expect(noNewResponse.status).toBe(409);
    expect(noNewResponse.body.details.map((d: { path: string }) => d.path)).toEqual(['response']);
    expect((await t.request('POST', route(id, '/response'), { as: counselorA, body: { text: '开放日已改为每两周一次。' } })).status).toBe(200);
    const finallyClosed = await t.request('POST', route(id, '/close'), { as: counselorA });
    expect(finallyClosed.status).toBe(200);
    const saved = await stored(id);
    expect(saved!.responses).toHaveLength(2);
    expect(saved!.followThrough).toHaveLength(2);
    expect(saved!.state).toBe('closed');
  });

  it('B6: the feedback scope — the owner and their college read it, only the owner and leaders answer, other colleges see nothing', async () => {
    const id = await feedbackTicket(lettersA[1]!, { topic: 'safety', text: '宿舍晚上的门禁时间希望再早一些。' });
    const other = await feedbackTicket(lettersB[0]!, { topic: 'finances' });

    expect((await t.request('GET', route(id), { as: counselorA2 })).status).toBe(200);
    const notOwner = await t.request('POST', route(id, '/response'), { as: counselorA2, body: { text: '越权回复' } });
    expect(notOwner.status).toBe(403);
    for (const stranger of [counselorB, leaderB]) {
      expect((await t.request('GET', route(id), { as: stranger })).status).toBe(404);
      expect((await t.request('POST', route(id, '/response'), { as: stranger, body: { text: '越权回复' } })).status).toBe(404);
      expect((await t.request('POST', route(id, '/close'), { as: stranger })).status).toBe(404);
    }
    expect((await t.request('GET', route(id), { as: teacherA })).status).toBe(404);

    const ids = async (as: Credentials, query = '') => {
      const list = await t.request('GET', `/api/feedback-tickets?limit=200${query}`, { as });
      expect(list.status).toBe(200);
      return (list.body.items as Array<{ id: string }>).map((i) => i.id);
    };
    expect(await ids(leaderB)).toContain(other);
    expect(await ids(leaderB)).not.toContain(id);
    expect(await ids(leaderA)).toContain(id);
    expect(await ids(leaderA)).not.toContain(other);
    expect(await ids(counselorB)).not.toContain(id);
    expect(await ids(teacherA)).toEqual([]);
    expect(await ids(leaderA, '&college=B')).toEqual([]);
    expect(await ids(officer)).toEqual(expect.arrayContaining([id, other]));
    expect(await ids(counselorA2, '&owner=me')).not.toContain(id);
    expect(await ids(counselorA, '&owner=me')).toContain(id);

    // The college's leader answers in the owner's place; student affairs too.
    const byLeader = await t.request('POST', route(id, '/response'), { as: leaderA, body: { text: '门禁时间已调整为 22:30。' } });
    expect(byLeader.status).toBe(200);
    expect((await t.request('POST', route(other, '/response'), { as: officer, body: { text: '资助政策已在学院网站公布。' } })).status).toBe(200);
  });

  it('B6: answers given at the same moment are both kept and the revision counts each; a stale If-Match is 409 REVISION_CONFLICT', async () => {
    const id = await feedbackTicket(lettersA[2]!, { topic: 'studentLife' });
    // Two writers at once: the one that loses the race reads the ticket again and adds its answer after the other.
    const texts = ['食堂已增加窗口。', '宿舍热水时间已延长。'];
    const answers = await Promise.all(texts.map((text, i) => t.request('POST', route(id, '/response'), { as: i === 1 ? leaderA : counselorA, body: { text } })));
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const saved = await stored(id);
    expect(saved!.responses.map((r) => r.text).sort()).toEqual([...texts].sort());
    expect(saved!.revision).toBe(1 + texts.length);
    expect((await t.request('GET', route(id), { as: counselorA })).headers.get('etag')).toBe(`"${1 + texts.length}"`);

    const revision = saved!.revision;
    const both = await Promise.all(['甲', '乙'].map((text) => t.request('POST', route(id, '/follow-through'), { as: counselorA, body: { text }, headers: { 'If-Match': `"${revision}"` } })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.status === 409)!.body.code).toBe('REVISION_CONFLICT');
    const after = await stored(id);
    expect(after!.followThrough).toHaveLength(1);
    expect(after!.revision).toBe(revision + 1);
    expect((await t.request('POST', route(id, '/response'), { as: counselorA, body: { text: '旧版本' }, headers: { 'If-Match': `"${revision}"` } })).status).toBe(409);
  });

  it('B6: closes at the same moment close the ticket once', async () => {
    const id = await feedbackTicket(lettersA[3]!, { topic: 'other' });
    expect((await t.request('POST', route(id, '/response'), { as: counselorA, body: { text: '已收到，正在处理。' } })).status).toBe(200);
    expect((await t.request('POST', route(id, '/follow-through'), { as: counselorA, body: { text: '已转交后勤处并落实。' } })).status).toBe(200);
    const before = (await stored(id))!.revision;
    const closes = await Promise.all([counselorA, leaderA, officer, counselorA].map((as) => t.request('POST', route(id, '/close'), { as })));
    expect(closes.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(closes.every((r) => r.body.state === 'closed')).toBe(true);
    const saved = await stored(id);
    expect(saved!.revision).toBe(before + 1);
    expect(new Set(closes.map((r) => r.body.closedAt)).size).toBe(1);
    expect(new Set(closes.map((r) => r.body.closedBy)).size).toBe(1);
  });

  it('B6: a leader or letter manager reassigns a ticket to someone of its college who may answer it', async () => {
    const id = await feedbackTicket(lettersA[4]!, { topic: 'teaching' });
    expect((await t.request('POST', route(id, '/reassign'), { as: counselorA, body: { owner: counselorA2.username } })).status).toBe(403);
    const wrongCollege = await t.request('POST', route(id, '/reassign'), { as: leaderA, body: { owner: counselorB.username } });
    expect(wrongCollege.status).toBe(400);
    expect(wrongCollege.body.details[0]).toMatchObject({ path: 'owner' });
    expect((await t.request('POST', route(id, '/reassign'), { as: leaderB, body: { owner: counselorA2.username } })).status).toBe(404);
    const moved = await t.request('POST', route(id, '/reassign'), { as: leaderA, body: { owner: counselorA2.username } });
    expect(moved.status).toBe(200);
    expect(moved.body.owner).toEqual({ id: String(counselorA2.userId), name: counselorA2.username, email: null });
    expect((await t.request('POST', route(id, '/response'), { as: counselorA, body: { text: '已改派' } })).status).toBe(403);
    expect((await t.request('POST', route(id, '/response'), { as: counselorA2, body: { text: '由我来回复。' } })).status).toBe(200);
  });

  it('B6: routing rules are checked rule by rule and replaced only from the revision read (If-Match)', async () => {
    const empty = await t.request('GET', '/api/letter-routing', { as: counselorA });
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ rules: [], revision: 0 });
    expect(empty.headers.get('etag')).toBe('"0"');

    const good = { rules: [{ topic: 'finances', owner: officer.username, note: '资助中心' }, { topic: 'safety', college: 'A', owner: leaderA.username }] };
    expect((await t.request('PUT', '/api/letter-routing', { as: counselorA, body: good, headers: { 'If-Match': '"0"' } })).status).toBe(403);
    const noIfMatch = await t.request('PUT', '/api/letter-routing', { as: officer, body: good });
    expect(noIfMatch.status).toBe(428);

    const inactive = await t.staff('counselor', A);
    await UserModel.updateOne({ _id: inactive.userId }, { $set: { active: false } });
    const bad = await t.request('PUT', '/api/letter-routing', {
      as: officer,
      headers: { 'If-Match': '"0"' },
      body: {
        rules: [
          { topic: 'sports', owner: officer.username },
          { topic: 'teaching', college: 'Z', owner: officer.username },
          { topic: 'teaching', college: 'A', owner: 'nobody.here' },
          { topic: 'studentLife', college: 'A', owner: inactive.username },
          { topic: 'studentLife', college: 'B', owner: counselorA.username },
          { topic: 'other', owner: counselorA.username },
          { topic: 'finances', owner: officer.username },
          { topic: 'finances', owner: officer.username },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(['rules[0].topic', 'rules[1].college', 'rules[2].owner', 'rules[3].owner', 'rules[4].owner', 'rules[5].owner', 'rules[7].topic']);
    expect(bad.body.details.every((d: { message: string; messageEn: string }) => d.message && d.messageEn)).toBe(true);
    expect(bad.body.details[0].message).toContain('教学');

    const saved = await t.request('PUT', '/api/letter-routing', { as: officer, body: good, headers: { 'If-Match': '"0"' } });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"1"');
    expect(saved.body.rules).toEqual([
      expect.objectContaining({ topic: 'finances', topicLabel: '资助与收费', college: null, owner: expect.objectContaining({ id: String(officer.userId) }), note: '资助中心' }),
      expect.objectContaining({ topic: 'safety', college: expect.objectContaining({ code: 'A' }), owner: expect.objectContaining({ id: String(leaderA.userId) }) }),
    ]);
    const stale = await t.request('PUT', '/api/letter-routing', { as: officer, body: { rules: [] }, headers: { 'If-Match': '"0"' } });
    expect(stale.status).toBe(409);
    const both = await Promise.all([1, 1].map(() => t.request('PUT', '/api/letter-routing', { as: officer, body: { rules: [] }, headers: { 'If-Match': '"1"' } })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await t.request('GET', '/api/letter-routing', { as: officer })).body).toMatchObject({ rules: [], revision: 2 });
  });

  it('B6: the deadline sweep marks tickets due within a working day and escalates an overdue one once, however many sweeps run', async () => {
    const now = new Date();
    const overdue = await feedbackTicket(lettersA[5]!, { topic: 'safety', text: '校门口接送秩序混乱，存在安全隐患。', receivedAt: new Date(now.getTime() - 10 * 86_400_000), dueAt: new Date(now.getTime() - 3_600_000) });
    const soon = await feedbackTicket(lettersA[6]!, { topic: 'teaching', dueAt: new Date(now.getTime() + 2 * 3_600_000) });
    const answeredLate = await feedbackTicket(lettersA[7]!, { topic: 'other', dueAt: new Date(now.getTime() - 3_600_000) });
    expect((await t.request('POST', route(answeredLate, '/response'), { as: counselorA, body: { text: '已回复。' } })).status).toBe(200);

    const before = events.length;
    // Three sweeps at once, each at its own moment (overlapping runs, or replicas): their claims differ, one wins.
    await Promise.all([0, 1, 2].map((ms) => sweepTicketDeadlines(new Date(now.getTime() + ms))));
    await sweepTicketDeadlines(new Date(now.getTime() + 60_000));
    const published = events.slice(before).filter((e) => e.type === 'feedback.overdue');
    expect(published.filter((e) => e.payload.ticketId === overdue)).toHaveLength(1);
    expect(published.filter((e) => e.payload.ticketId === soon || e.payload.ticketId === answeredLate)).toEqual([]);
    const event = published.find((e) => e.payload.ticketId === overdue)!;
    expect(event.college?.equals(A)).toBe(true);
    expect(event.owner?.equals(counselorA.userId)).toBe(true);
    expect(event.payload).toMatchObject({ collegeCode: 'A', ownerId: String(counselorA.userId), topic: 'safety', escalateTo: [expect.objectContaining({ username: leaderA.username })] });
    expect(JSON.stringify(event.payload)).not.toContain('校门口');

    expect((await stored(overdue))!.escalatedAt).toBeTruthy();
    expect((await stored(soon))!.remindedAt).toBeTruthy();
    expect((await stored(soon))!.escalatedAt).toBeFalsy();
    expect((await stored(answeredLate))!.escalatedAt).toBeFalsy();

    const list = await t.request('GET', '/api/feedback-tickets?overdue=true&limit=200', { as: leaderA });
    expect((list.body.items as Array<{ id: string; overdue: boolean }>).map((i) => i.id)).toContain(overdue);
    expect((list.body.items as Array<{ overdue: boolean }>).every((i) => i.overdue)).toBe(true);
  });

  it('B6: My tasks lists the feedback one owns and, for the counselor, parents asking to be contacted', async () => {
    const mine = await feedbackTicket(lettersA[0]!, { topic: 'finances' });
    // One feedback with two topics and a wish to be contacted: two tickets, one call to make.
    const contactWish = { wanted: true, phone: '13900001111', when: '工作日晚上' };
    const wish = await feedbackTicket(lettersA[1]!, { topic: 'finances', owner: leaderA.userId, contactWish, submissionId: 'sub-wish-1' });
    await feedbackTicket(lettersA[1]!, { topic: 'studentLife', contactWish, submissionId: 'sub-wish-1' });
    const wishId = `feedbackContact:${lettersA[1]!._id}:sub-wish-1`;
    const tasks = await t.request('GET', '/api/tasks?limit=500', { as: counselorA });
    expect(tasks.status).toBe(200);
    const rows = tasks.body.items as Array<{ id: string; kind: string; title: string; note?: string; href: string; student: { studentNo: string } | null }>;
    expect(rows.find((r) => r.id === `feedback:${mine}`)).toMatchObject({ kind: 'feedback', title: '回复家长反馈：资助与收费', href: `/letters/tickets/${encodeURIComponent(mine)}`, student: expect.objectContaining({ studentNo: expect.stringMatching(/^TA/) }) });
    expect(rows.find((r) => r.id === `feedback:${wish}`)).toBeUndefined();
    expect(rows.filter((r) => r.kind === 'feedbackContact' && r.id.includes('sub-wish-1'))).toEqual([
      expect.objectContaining({ id: wishId, title: expect.stringMatching(/资助与收费|学生生活/), note: expect.stringContaining('13900001111') }),
    ]);
    const leaderTasks = await t.request('GET', '/api/tasks?kind=feedback&limit=500', { as: leaderA });
    expect((leaderTasks.body.items as Array<{ id: string }>).map((r) => r.id)).toContain(`feedback:${wish}`);

    // The leader's follow-through is not the counselor's call; the counselor records theirs and the contact task is done.
    expect((await t.request('POST', route(wish, '/follow-through'), { as: leaderA, body: { text: '已转资助中心核实。' } })).status).toBe(200);
    const contactTasks = async () => (await t.request('GET', '/api/tasks?kind=feedbackContact&limit=500', { as: counselorA })).body.items.map((r: { id: string }) => r.id);
    expect(await contactTasks()).toContain(wishId);
    expect((await t.request('POST', route(wish, '/response'), { as: counselorA, body: { text: '越权回复' } })).status).toBe(403);
    expect((await t.request('POST', route(wish, '/follow-through'), { as: counselorA, body: { text: '已电话联系家长，解释了资助申请流程。' } })).status).toBe(200);
    expect(await contactTasks()).not.toContain(wishId);
    expect((await t.request('POST', route(wish, '/follow-through'), { as: counselorA2, body: { text: '越权' } })).status).toBe(403);
  });

  it('B6: the list pages on by due date without repeating a ticket', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; next: string | null; total: number } } = await t.request('GET', `/api/feedback-tickets?limit=3${after ? `&after=${encodeURIComponent(after)}` : ''}`, { as: officer });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i) => i.id));
      after = page.body.next;
      total = page.body.total;
    } while (after);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
    expect(total).toBe(await FeedbackTicketModel.countDocuments({}));
    expect((await t.request('GET', '/letters/tickets/x', { as: officer })).status).toBe(200);
  });
});
