import mongoose, { type Types } from 'mongoose';
import { AuditEntryModel } from '../../server/audit/audit-entry.model';
import { onDomainEvent, type DomainEvent } from '../../server/events/event-bus';
import { MentoringStudentClaimModel, releaseStudent } from '../../server/mentoring/mentoring-claims';
import { MentoringActivityModel, MentoringGroupModel } from '../../server/mentoring/mentoring-group.model';
import { sweepInactiveGroups } from '../../server/mentoring/mentoring-inactivity';
import { StudentModel } from '../../server/students/student.model';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * Mentoring groups (C1–C2, issue #15) over real HTTP on the real database: 3–5 members and one leader at
 * the proposal and after every member change, one proposed or active group per student (also for two
 * proposals at the same moment), members of the student's college only, approval by the college's leader,
 * the activity log and closing with an outcome, load-balanced suggestions, who sees a group and its
 * mentee's archive, silent groups announced once, the monthly report, and the two Form.io forms.
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let officer: Credentials;
let leaderA: Credentials;
let leaderB: Credentials;
let counselorA: Credentials;
const teachers: Credentials[] = [];
let outsider: Credentials;
let teacherB: Credentials;
const students: string[] = [];
let general: string;
let sensitiveStudent: string;
const events: DomainEvent[] = [];
let stopListening: () => void;

const SECRET = { medicalHistory: '哮喘-需随身带药M1', psychologicalFlags: '焦虑-咨询中心跟进M1', familyFinances: '低保家庭M1' };
const id = (c: Credentials) => String(c.userId);
const trio = (leader: Credentials, ...rest: Credentials[]) => [{ user: id(leader), employment: 'fullTime', role: 'leader' }, ...rest.map((m) => ({ user: id(m), employment: 'partTime', role: 'member' }))];
const proposal = (student: string, members: unknown[]) => ({ student, members, needs: [{ area: 'studyInterest', note: '挂科较多' }, { area: 'mentalHealth' }], plan: '每两周面谈一次，联系学业导师补课。' });
const propose = (student: string, members: unknown[], as: Credentials = counselorA) => t.request('POST', '/api/mentoring-groups', { as, body: proposal(student, members) });
const groupsOf = (student: string) => MentoringGroupModel.countDocuments({ student: new mongoose.Types.ObjectId(student) });
const activity = (extra: Record<string, unknown> = {}) => ({ at: new Date().toISOString(), kind: 'meeting', areas: ['studyInterest'], summary: '面谈学习计划，约定每周自习三次。', nextStep: '两周后复查', ...extra });

/** A proposed group approved by the college's leader: its id and revision. */
async function activeGroup(student: string, members: unknown[]): Promise<{ id: string; revision: number }> {
  const proposed = await propose(student, members);
  expect(proposed.status).toBe(201);
  const approved = await t.request('POST', `/api/mentoring-groups/${proposed.body.id}/approve`, { as: leaderA });
  expect(approved.status).toBe(200);
  return { id: approved.body.id, revision: approved.body.revision };
}

beforeAll(async () => {
  stopListening = onDomainEvent(async (event) => {
    events.push(event);
  });
  t = await startTestService();
  A = await t.college('MA', '会计学院');
  B = await t.college('MB', '信息学院');
  officer = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', A, 'm.leader.a');
  leaderB = await t.staff('collegeLeader', B, 'm.leader.b');
  counselorA = await t.staff('counselor', A, 'm.counselor.a');
  for (const [i, role] of (['teacher', 'teacher', 'academicMentor', 'growthMentor', 'teacher', 'teacher', 'academicMentor'] as const).entries()) teachers.push(await t.staff(role, A, `m.teacher.${i}`));
  outsider = await t.staff('teacher', A, 'm.outsider');
  teacherB = await t.staff('teacher', B, 'm.teacher.b');
  await seedArchives(A, 'MS', 14, (i) => ({ careTier: i === 13 ? 'general' : 'special', counselor: counselorA.userId, major: '会计' }));
  const seeded = await StudentModel.find({ studentNo: { $regex: '^MS' } }).sort({ studentNo: 1 }).select('_id studentNo').lean();
  for (const s of seeded.slice(0, 13)) students.push(String(s._id));
  general = String(seeded.find((s) => s.studentNo === seededNumber('MS', 13))!._id);
  const created = await t.request('POST', '/api/students', {
    as: counselorA,
    body: { studentNo: '2024MG0001', name: '周敏', gender: '女', birthDate: '2006-05-01', college: 'MA', major: '会计', grade: '2024', className: '会计1班', counselor: counselorA.username, careTier: 'special', ...SECRET },
  });
  expect(created.status).toBe(201);
  sensitiveStudent = created.body.id;
}, 60_000);
afterAll(async () => {
  stopListening?.();
  await t?.stop();
});

describe('C1: forming a group of 3–5 teachers for one special student', () => {
  it('C1: refuses 2 and 6 members, no or two leaders, unknown and repeated members, a student not special — and stores nothing', async () => {
    const [s] = students;
    const two = await propose(s!, trio(teachers[0]!, teachers[1]!));
    expect(two.status).toBe(422);
    expect(two.body).toMatchObject({ code: 'GROUP_SIZE', details: [expect.objectContaining({ path: 'members' })] });
    expect(two.body.messageZh).toContain('3–5');
    const six = await propose(s!, trio(teachers[0]!, teachers[1]!, teachers[2]!, teachers[3]!, teachers[4]!, teachers[5]!));
    expect(six.status).toBe(422);
    expect(six.body.code).toBe('GROUP_SIZE');
    const noLeader = await propose(s!, trio(teachers[0]!, teachers[1]!, teachers[2]!).map((m) => ({ ...m, role: 'member' })));
    expect(noLeader.body.code).toBe('GROUP_LEADER');
    const twoLeaders = await propose(s!, trio(teachers[0]!, teachers[1]!, teachers[2]!).map((m, i) => ({ ...m, role: i < 2 ? 'leader' : 'member' })));
    expect(twoLeaders.body.code).toBe('GROUP_LEADER');
    const unknown = await propose(s!, [...trio(teachers[0]!, teachers[1]!), { user: 'nobody.here', employment: 'partTime', role: 'member' }]);
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'MEMBER_INVALID', details: [expect.objectContaining({ path: 'members[2].user' })] });
    const twice = await propose(s!, trio(teachers[0]!, teachers[1]!, teachers[1]!));
    expect(twice.body.code).toBe('MEMBER_INVALID');
    const notSpecial = await propose(general, trio(teachers[0]!, teachers[1]!, teachers[2]!));
    expect(notSpecial.status).toBe(422);
    expect(notSpecial.body.code).toBe('STUDENT_NOT_SPECIAL');
    const repeated = await t.request('POST', '/api/mentoring-groups', { as: counselorA, body: { ...proposal(s!, trio(teachers[0]!, teachers[1]!, teachers[2]!)), needs: [{ area: 'values' }, { area: 'values', note: '再写一次' }] } });
    expect(repeated.status).toBe(400);
    expect(repeated.body.details).toEqual([expect.objectContaining({ path: 'needs', messageEn: expect.stringContaining('each area once') })]);
    expect(repeated.body.details[0].message).toContain('帮扶需求');
    expect(await groupsOf(s!)).toBe(0);
    // 3 and 5 are accepted.
    expect((await propose(s!, trio(teachers[0]!, teachers[1]!, teachers[2]!, teachers[3]!, teachers[4]!))).status).toBe(201);
  });

  it('C1: refuses a member from another college (MEMBER_OUTSIDE_COLLEGE), naming the row', async () => {
    const refused = await propose(students[1]!, trio(teachers[0]!, teacherB, teachers[1]!));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'MEMBER_OUTSIDE_COLLEGE', details: [expect.objectContaining({ path: 'members[1].user' })] });
    expect(await groupsOf(students[1]!)).toBe(0);
  });

  it('C1: one proposed or active group per student — a second is refused, and of two parallel proposals one is 201 and one 409', async () => {
    const first = await propose(students[1]!, trio(teachers[0]!, teachers[1]!, teachers[2]!));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ state: 'proposed', stateLabel: '待审批', student: { id: students[1] }, needs: [{ area: 'studyInterest', areaLabel: '学习兴趣', note: '挂科较多' }, { area: 'mentalHealth', areaLabel: '心理疏导' }] });
    expect(first.body.members).toHaveLength(3);
    const second = await propose(students[1]!, trio(teachers[3]!, teachers[4]!, teachers[5]!));
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('GROUP_EXISTS');
    expect(await t.request('POST', `/api/mentoring-groups/${first.body.id}/approve`, { as: leaderA })).toMatchObject({ status: 200 });
    expect((await propose(students[1]!, trio(teachers[3]!, teachers[4]!, teachers[5]!))).body.code).toBe('GROUP_EXISTS');

    const parallel = await Promise.all([propose(students[2]!, trio(teachers[0]!, teachers[1]!, teachers[2]!)), propose(students[2]!, trio(teachers[3]!, teachers[4]!, teachers[5]!), leaderA)]);
    expect(parallel.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(parallel.find((r) => r.status === 409)!.body.code).toBe('GROUP_EXISTS');
    expect(await groupsOf(students[2]!)).toBe(1);
    expect(events.filter((e) => e.type === 'mentoring.proposed' && e.payload.studentId === students[2])).toHaveLength(1);
  });

  it('C1: releasing a student (rejected, closed, a stale claim given up) never takes the claim another group holds by then', async () => {
    const student = new mongoose.Types.ObjectId();
    const [before, after] = [new mongoose.Types.ObjectId(), new mongoose.Types.ObjectId()];
    await MentoringStudentClaimModel.create({ _id: String(student), group: after, at: new Date() });
    // The group released held the claim a moment ago; a parallel proposal has given that claim up since and holds the student now.
    await releaseStudent(student, before);
    expect(await MentoringStudentClaimModel.findById(String(student)).lean()).toMatchObject({ group: after });
    await releaseStudent(student, after);
    expect(await MentoringStudentClaimModel.findById(String(student)).lean()).toBeNull();
  });

  it('C1: only the college’s leader or a school role approves, only a proposed group; a rejection frees the student', async () => {
    const proposed = await propose(students[3]!, trio(teachers[0]!, teachers[1]!, teachers[2]!));
    const route = (tail: string) => `/api/mentoring-groups/${proposed.body.id}/${tail}`;
    const event = events.find((e) => e.type === 'mentoring.proposed' && e.payload.groupId === proposed.body.id)!;
    expect(event.payload).toMatchObject({ studentName: '学生MS3', leader: { userId: id(teachers[0]!) }, approvers: [expect.objectContaining({ userId: id(leaderA) })] });
    expect((await t.request('POST', route('approve'), { as: counselorA })).status).toBe(403);
    expect((await t.request('POST', route('approve'), { as: teachers[0]! })).status).toBe(403);
    expect((await t.request('POST', route('approve'), { as: leaderB })).status).toBe(404);
    expect((await MentoringGroupModel.findById(proposed.body.id).lean())!.state).toBe('proposed');
    const approved = await t.request('POST', route('approve'), { as: leaderA });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'active', stateLabel: '帮扶中', approvedBy: id(leaderA) });
    expect(approved.body.approvedAt).toBeTruthy();
    expect(events.filter((e) => e.type === 'mentoring.formed' && e.payload.groupId === proposed.body.id)).toHaveLength(1);
    const again = await t.request('POST', route('approve'), { as: leaderA });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('GROUP_STATE');
    expect((await t.request('POST', route('reject'), { as: leaderA, body: { reason: '成员调整' } })).body.code).toBe('GROUP_STATE');

    const other = await propose(students[4]!, trio(teachers[0]!, teachers[1]!, teachers[2]!));
    const rejected = await t.request('POST', `/api/mentoring-groups/${other.body.id}/reject`, { as: officer, body: { reason: '请补充帮扶计划' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ state: 'rejected', rejection: { reason: '请补充帮扶计划' } });
    expect((await propose(students[4]!, trio(teachers[0]!, teachers[1]!, teachers[2]!))).status).toBe(201);
  });

  it('C1: a decision made in an approval message is recorded for the approver (onBehalfOf): only a key with mentoring:relay records it, and the approver’s own role and college are checked', async () => {
    const group = await MentoringGroupModel.findOne({ student: new mongoose.Types.ObjectId(students[4]!), state: 'proposed' }).lean();
    const approve = (as: Credentials, onBehalfOf: string) => t.request('POST', `/api/mentoring-groups/${String(group!._id)}/approve`, { as, body: { onBehalfOf } });
    expect((await approve(leaderA, leaderB.username)).status).toBe(403);
    const unknown = await approve(officer, 'nobody.here');
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('onBehalfOf');
    expect((await approve(officer, teachers[0]!.username)).status).toBe(403);
    expect((await approve(officer, leaderB.username)).status).toBe(404);
    expect((await MentoringGroupModel.findById(group!._id).lean())!.state).toBe('proposed');
    const approved = await approve(officer, leaderA.username.toUpperCase());
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'active', approvedBy: id(leaderA), approvedByName: leaderA.username });
  });
});

describe('C1: approving and rejecting at the same moment', () => {
  it('C1: of an approval and a rejection sent together one is kept; the other is told the group’s state (409 GROUP_STATE), not to reload', async () => {
    const made = await Promise.all([students[12]!, sensitiveStudent].map((s) => propose(s, trio(teachers[3]!, teachers[4]!, teachers[5]!))));
    for (const group of made) {
      expect(group.status).toBe(201);
      const both = await Promise.all([
        t.request('POST', `/api/mentoring-groups/${group.body.id}/approve`, { as: leaderA }),
        t.request('POST', `/api/mentoring-groups/${group.body.id}/reject`, { as: officer, body: { reason: '计划不具体' } }),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
      const lost = both.find((r) => r.status === 409)!;
      expect(lost.body.code).toBe('GROUP_STATE');
      const kept = (await MentoringGroupModel.findById(group.body.id).lean())!;
      expect(kept.revision).toBe(2);
      // Back to proposable for the tests that follow.
      if (kept.state === 'active') expect((await t.request('POST', `/api/mentoring-groups/${group.body.id}/close`, { as: leaderA, body: { outcome: { kind: 'other', reason: '测试' } } })).status).toBe(200);
    }
  });
});

describe('C2: member changes keep 3–5 members and one leader', () => {
  it('C2: a change that would leave 2 is refused and nothing changes; stale If-Match 409, none 428; every change in the history', async () => {
    const group = await activeGroup(students[5]!, trio(teachers[0]!, teachers[1]!, teachers[2]!));
    const change = (body: unknown, revision?: number, as: Credentials = counselorA) => t.request('POST', `/api/mentoring-groups/${group.id}/members`, { as, body, headers: revision === undefined ? {} : { 'If-Match': `"${revision}"` } });
    const before = await MentoringGroupModel.findById(group.id).lean();

    expect((await change({ remove: [id(teachers[2]!)], reason: '工作调动' })).status).toBe(428);
    const two = await change({ remove: [id(teachers[2]!)], reason: '工作调动' }, group.revision);
    expect(two.status).toBe(422);
    expect(two.body.code).toBe('GROUP_SIZE');
    const after = await MentoringGroupModel.findById(group.id).lean();
    expect(after!.members).toEqual(before!.members);
    expect(after!.revision).toBe(before!.revision);

    const grown = await change({ add: [{ user: id(teachers[3]!), employment: 'partTime' }, { user: id(teachers[4]!), employment: 'fullTime' }], reason: '加强学业帮扶' }, group.revision);
    expect(grown.status).toBe(200);
    expect(grown.body.members).toHaveLength(5);
    expect(grown.headers.get('etag')).toBe(`"${group.revision + 1}"`);
    const stale = await change({ remove: [id(teachers[4]!)], reason: '重复操作' }, group.revision);
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('REVISION_CONFLICT');
    const sixth = await change({ add: [{ user: id(teachers[5]!), employment: 'partTime' }], reason: '再加一人' }, grown.body.revision);
    expect(sixth.body.code).toBe('GROUP_SIZE');
    const leaderless = await change({ remove: [id(teachers[0]!)], reason: '组长离职' }, grown.body.revision);
    expect(leaderless.body.code).toBe('GROUP_LEADER');
    const outside = await change({ add: [{ user: id(teacherB), employment: 'partTime' }], reason: '外院' }, grown.body.revision);
    expect(outside.body.code).toBe('MEMBER_OUTSIDE_COLLEGE');

    const handover = await change({ remove: [id(teachers[0]!)], leader: id(teachers[3]!), reason: '组长离职，由成员接任' }, grown.body.revision);
    expect(handover.status).toBe(200);
    expect(handover.body.members.filter((m: { role: string }) => m.role === 'leader')).toEqual([expect.objectContaining({ userId: id(teachers[3]!) })]);
    expect(handover.body.members).toHaveLength(4);
    const changes = handover.body.memberHistory.slice(3).map((h: { change: string; userId: string; reason: string }) => [h.change, h.userId, h.reason]);
    expect(changes).toEqual([
      ['added', id(teachers[3]!), '加强学业帮扶'],
      ['added', id(teachers[4]!), '加强学业帮扶'],
      ['removed', id(teachers[0]!), '组长离职，由成员接任'],
      ['leader', id(teachers[3]!), '组长离职，由成员接任'],
    ]);
    // Two changes made from the same revision at the same moment: one is written, the other is told to reload.
    const both = await Promise.all([
      change({ add: [{ user: id(teachers[5]!), employment: 'partTime' }], reason: '并发一' }, handover.body.revision),
      change({ add: [{ user: id(teachers[6]!), employment: 'partTime' }], reason: '并发二' }, handover.body.revision, leaderA),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const raced = await MentoringGroupModel.findById(group.id).lean();
    expect(raced!.members).toHaveLength(5);
    expect(raced!.revision).toBe(handover.body.revision + 1);
    const undo = await change({ remove: [String(raced!.members[4]!.user)], reason: '撤回' }, raced!.revision);
    expect(undo.status).toBe(200);
    // The new leader manages the group; a plain member does not.
    expect((await change({ remove: [id(teachers[4]!)], reason: '调整' }, undo.body.revision, teachers[1]!)).status).toBe(403);
    expect((await change({ remove: [id(teachers[4]!)], reason: '调整' }, undo.body.revision, teachers[3]!)).status).toBe(200);
  });
});

describe('C2: the activity log, closing with an outcome', () => {
  it('C2: members log activities (counted once each, also in parallel); closing needs the outcome’s fields; the log stays readable, logging is refused after closing', async () => {
    const group = await activeGroup(students[6]!, trio(teachers[0]!, teachers[1]!, counselorA));
    const log = (as: Credentials, body: unknown = activity()) => t.request('POST', `/api/mentoring-groups/${group.id}/activities`, { as, body });
    const first = await log(teachers[1]!, activity({ areas: ['studyInterest', 'values'] }));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ group: group.id, kind: 'meeting', kindLabel: '面谈', areas: ['studyInterest', 'values'], areaLabels: ['学习兴趣', '理想信念与价值观'], by: id(teachers[1]!), nextStep: '两周后复查' });
    expect((await log(outsider)).status).toBe(404);
    expect((await log(teachers[0]!, activity({ areas: [] }))).status).toBe(400);
    const parallel = await Promise.all(Array.from({ length: 5 }, (_, i) => log(i % 2 ? teachers[0]! : leaderA, activity({ at: new Date(Date.now() - (i + 1) * 86_400_000).toISOString() }))));
    expect(parallel.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const stored = await MentoringGroupModel.findById(group.id).lean();
    expect(stored!.activityCount).toBe(6);
    expect(await MentoringActivityModel.countDocuments({ group: stored!._id })).toBe(6);
    // lastActivityAt is only raised: the five older entries did not lower it below the first one's moment.
    expect(new Date(stored!.lastActivityAt!).getTime()).toBeGreaterThanOrEqual(new Date(first.body.at).getTime());

    const close = (outcome: unknown) => t.request('POST', `/api/mentoring-groups/${group.id}/close`, { as: teachers[0]!, body: { outcome } });
    const employed = await close({ kind: 'employed' });
    expect(employed.status).toBe(422);
    expect(employed.body.details.map((d: { path: string }) => d.path)).toEqual(['outcome.employer', 'outcome.date']);
    const other = await close({ kind: 'other' });
    expect(other.body.details.map((d: { path: string }) => d.path)).toEqual(['outcome.reason']);
    expect((await MentoringGroupModel.findById(group.id).lean())!.state).toBe('active');
    expect((await t.request('POST', `/api/mentoring-groups/${group.id}/close`, { as: outsider, body: { outcome: { kind: 'furtherStudy' } } })).status).toBe(404);
    for (const date of ['1999-07-01', '2099-07-01']) {
      const slip = await close({ kind: 'employed', employer: '杭州某会计师事务所', date });
      expect(slip.status).toBe(400);
      expect(slip.body.details).toEqual([expect.objectContaining({ path: 'outcome.date', rule: 'range' })]);
      expect(slip.body.details[0].messageEn).toContain('between');
    }
    expect((await MentoringGroupModel.findById(group.id).lean())!.state).toBe('active');
    const closed = await close({ kind: 'employed', employer: '杭州某会计师事务所', date: new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10), note: '签约三年' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', outcome: { kind: 'employed', kindLabel: '已就业', employer: '杭州某会计师事务所', note: '签约三年' }, activityCount: 6 });
    expect(events.filter((e) => e.type === 'mentoring.closed' && e.payload.groupId === group.id)).toHaveLength(1);

    const readable = await t.request('GET', `/api/mentoring-groups/${group.id}/activities?limit=4`, { as: teachers[1]! });
    expect(readable.status).toBe(200);
    expect(readable.body.total).toBe(6);
    expect(readable.body.items).toHaveLength(4);
    const rest = await t.request('GET', `/api/mentoring-groups/${group.id}/activities?limit=4&after=${readable.body.next}`, { as: teachers[1]! });
    expect(rest.body.items).toHaveLength(2);
    expect(new Set([...readable.body.items, ...rest.body.items].map((a: { id: string }) => a.id)).size).toBe(6);
    const late = await log(teachers[1]!);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('GROUP_CLOSED');
    expect((await t.request('POST', `/api/mentoring-groups/${group.id}/close`, { as: teachers[0]!, body: { outcome: { kind: 'withdrawn' } } })).body.code).toBe('GROUP_STATE');
    // Closing freed the student: a new group may be proposed.
    expect((await propose(students[6]!, trio(teachers[0]!, teachers[1]!, teachers[2]!))).status).toBe(201);
  });
});

describe('C1: load-balanced suggestions', () => {
  it('C1: the college’s teaching staff, least loaded first (proposed + active groups), those who counsel the major first among equals', async () => {
    const open = await MentoringGroupModel.find({ state: { $in: ['proposed', 'active'] } }).select('members.user').lean();
    const expected = new Map<string, number>();
    for (const g of open) for (const m of g.members) expected.set(String(m.user), (expected.get(String(m.user)) ?? 0) + 1);
    const closedOnly = await MentoringGroupModel.find({ state: { $in: ['closed', 'rejected'] } }).countDocuments();
    expect(closedOnly).toBeGreaterThan(0);

    const found = await t.request('GET', `/api/mentoring-groups/suggestions?student=${students[7]}`, { as: counselorA });
    expect(found.status).toBe(200);
    expect(found.body.student).toMatchObject({ id: students[7], careTier: 'special', major: '会计' });
    const items = found.body.items as Array<{ userId: string; load: number; sameMajor: boolean; role: string; roleLabel: string }>;
    expect(items.map((i) => i.userId)).not.toContain(id(teacherB));
    expect(items.map((i) => i.userId)).not.toContain(id(officer));
    for (const item of items) expect(item.load).toBe(expected.get(item.userId) ?? 0);
    for (let i = 1; i < items.length; i++) expect(items[i]!.load).toBeGreaterThanOrEqual(items[i - 1]!.load);
    expect(items[0]!.load).toBe(0);
    expect(items.find((i) => i.userId === id(teachers[0]!))!.load).toBeGreaterThanOrEqual(3);
    expect(items.find((i) => i.userId === id(counselorA))).toMatchObject({ sameMajor: true, roleLabel: expect.any(String) });
    expect(items.find((i) => i.userId === id(outsider))).toMatchObject({ sameMajor: false, load: 0 });
    expect((await t.request('GET', `/api/mentoring-groups/suggestions?student=${students[7]}`, { as: teachers[0]! })).status).toBe(403);
    expect((await t.request('GET', `/api/mentoring-groups/suggestions?student=${students[7]}`, { as: leaderB })).status).toBe(404);
  });
});

describe('C2: who sees a group and its mentee', () => {
  it('C2: a teacher who is a member sees the group; another teacher of the college and another college’s leader get 404', async () => {
    const group = await activeGroup(students[8]!, trio(teachers[5]!, teachers[6]!, counselorA));
    const get = (as: Credentials) => t.request('GET', `/api/mentoring-groups/${group.id}`, { as });
    expect((await get(teachers[5]!)).status).toBe(200);
    expect((await get(teachers[5]!)).headers.get('etag')).toBe(`"${group.revision}"`);
    expect((await get(outsider)).status).toBe(404);
    expect((await get(leaderB)).status).toBe(404);
    expect((await get(leaderA)).status).toBe(200);
    const mine = await t.request('GET', '/api/mentoring-groups?member=me', { as: teachers[6]! });
    expect(mine.body.items.map((g: { id: string }) => g.id)).toEqual([group.id]);
    expect((await t.request('GET', '/api/mentoring-groups', { as: outsider })).body).toMatchObject({ items: [], total: 0 });
    expect((await t.request('GET', '/api/mentoring-groups', { as: leaderB })).body.total).toBe(0);
    const college = await t.request('GET', '/api/mentoring-groups?state=active&limit=2', { as: leaderA });
    const activeInA = await MentoringGroupModel.countDocuments({ college: A, state: 'active' });
    expect(college.body.total).toBe(activeInA);
    expect(college.body.items).toHaveLength(2);
  });

  it('C2: the mentee’s archive — a member sees the non-sensitive part; the sensitive part only within the sensitive scope, the read audited', async () => {
    const group = await activeGroup(sensitiveStudent, trio(teachers[6]!, teachers[5]!, counselorA));
    const audits = () => AuditEntryModel.countDocuments({ action: 'read-sensitive', resourceId: sensitiveStudent });
    const before = await audits();
    const asTeacher = await t.request('GET', `/api/mentoring-groups/${group.id}/mentee`, { as: teachers[6]! });
    expect(asTeacher.status).toBe(200);
    expect(asTeacher.body).toMatchObject({ id: sensitiveStudent, name: '周敏', major: '会计', careTier: 'special' });
    expect(asTeacher.body).not.toHaveProperty('medicalHistory');
    expect(JSON.stringify(asTeacher.body)).not.toContain('M1');
    expect(asTeacher.body.redacted.sort()).toEqual(Object.keys(SECRET).sort());
    expect(await audits()).toBe(before);
    const asCounselor = await t.request('GET', `/api/mentoring-groups/${group.id}/mentee`, { as: counselorA });
    expect(asCounselor.body).toMatchObject(SECRET);
    expect(await audits()).toBe(before + 1);
    expect((await t.request('GET', `/api/mentoring-groups/${group.id}/mentee`, { as: outsider })).status).toBe(404);

    // A college leader is within the sensitive scope but not the student's counselor: break-glass with a reason, not here.
    const asLeader = await t.request('GET', `/api/mentoring-groups/${group.id}/mentee`, { as: leaderA });
    expect(asLeader.status).toBe(200);
    expect(JSON.stringify(asLeader.body)).not.toContain('M1');
    expect(asLeader.body.redacted.sort()).toEqual(Object.keys(SECRET).sort());
    expect(asLeader.body.sensitiveAccess).toMatchObject({ mayShow: true, reasonRequired: true });
    expect(await audits()).toBe(before + 1);

    // A key scoped to mentoring only does not read archives.
    const key = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'mentoring only', scopes: ['mentoring:log'] } });
    expect(key.status).toBe(201);
    const byKey = await t.request('GET', `/api/mentoring-groups/${group.id}/mentee`, { as: { ...officer, apiKey: key.body.apiKey } });
    expect(byKey.status).toBe(403);
    expect(JSON.stringify(byKey.body)).not.toContain('周敏');
  });
});

describe('C2: silent groups', () => {
  it('C2: a group silent for the configured weeks is listed, announced once per silence, and a task of its leader', async () => {
    const group = await activeGroup(students[9]!, trio(teachers[2]!, teachers[1]!, teachers[6]!));
    const fiveWeeksAgo = new Date(Date.now() - 35 * 86_400_000);
    await MentoringGroupModel.collection.updateOne({ _id: new mongoose.Types.ObjectId(group.id) }, { $set: { lastActivityAt: fiveWeeksAgo, approvedAt: fiveWeeksAgo } });
    const listed = await t.request('GET', '/api/mentoring-groups/inactive', { as: leaderA });
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((g: { id: string }) => g.id === group.id)).toMatchObject({ leader: { userId: id(teachers[2]!) }, weeksSilent: 5 });
    expect((await t.request('GET', '/api/mentoring-groups?inactive=true', { as: teachers[2]! })).body.items.map((g: { id: string }) => g.id)).toEqual([group.id]);
    const announced = () => events.filter((e) => e.type === 'mentoring.inactive' && e.payload.groupId === group.id);
    await Promise.all([sweepInactiveGroups(4), sweepInactiveGroups(4)]);
    await sweepInactiveGroups(4);
    expect(announced()).toHaveLength(1);
    expect(announced()[0]).toMatchObject({ owner: teachers[2]!.userId, payload: { studentName: '学生MS9', leader: { userId: id(teachers[2]!) }, weeksSilent: 5 } });
    const tasks = await t.request('GET', '/api/tasks?kind=mentoringActivity', { as: teachers[2]! });
    expect(tasks.body.items.map((r: { id: string }) => r.id)).toEqual([`mentoringActivity:${group.id}`]);
    expect((await t.request('GET', '/api/tasks?kind=mentoringActivity', { as: teachers[1]! })).body.items).toEqual([]);

    // An activity ends the silence; a new silence is announced again.
    expect((await t.request('POST', `/api/mentoring-groups/${group.id}/activities`, { as: teachers[1]!, body: activity() })).status).toBe(201);
    expect((await t.request('GET', '/api/mentoring-groups/inactive', { as: leaderA })).body.items.map((g: { id: string }) => g.id)).not.toContain(group.id);
    await MentoringGroupModel.collection.updateOne({ _id: new mongoose.Types.ObjectId(group.id) }, { $set: { lastActivityAt: new Date(Date.now() - 30 * 86_400_000) } });
    await sweepInactiveGroups(4);
    expect(announced()).toHaveLength(2);
  });
});

describe('C1–C2: the monthly report and the approval tasks', () => {
  it('C1–C2: the report’s figures match the records, per college; approvers have the proposed groups as tasks', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const report = await t.request('GET', `/api/mentoring-groups/report?from=2020-01-01&to=2099-12-31`, { as: officer });
    expect(report.status).toBe(200);
    const row = report.body.colleges.find((c: { college: string }) => c.college === String(A));
    const count = (filter: Record<string, unknown>) => MentoringGroupModel.countDocuments({ college: A, ...filter });
    expect(row).toMatchObject({
      collegeName: '会计学院',
      proposed: await count({}),
      formed: await count({ approvedAt: { $ne: null } }),
      active: await count({ state: 'active' }),
      closed: await count({ state: 'closed' }),
      activities: await MentoringActivityModel.countDocuments({ college: A }),
      inactive: await count({ state: 'active', lastActivityAt: { $lt: new Date(Date.now() - 28 * 86_400_000) } }),
    });
    expect(row.outcomes.employed).toBe(await count({ 'outcome.kind': 'employed' }));
    expect(row.closed).toBeGreaterThan(0);
    expect(report.body.totals.activities).toBe(await MentoringActivityModel.countDocuments({}));
    expect((await t.request('GET', `/api/mentoring-groups/report?from=${today}&to=${today}`, { as: leaderA })).body.colleges.map((c: { college: string }) => c.college)).toEqual([String(A)]);
    expect((await t.request('GET', '/api/mentoring-groups/report', { as: teachers[0]! })).status).toBe(403);
    // support:read is enough: a school leader (no mentoring:log) reads the whole school's figures.
    const schoolLeader = await t.staff('schoolLeader');
    const bySchoolLeader = await t.request('GET', `/api/mentoring-groups/report?from=2020-01-01&to=2099-12-31`, { as: schoolLeader });
    expect(bySchoolLeader.status).toBe(200);
    expect(bySchoolLeader.body.totals).toEqual(report.body.totals);
    expect((await t.request('GET', '/api/mentoring-groups/report')).status).toBe(401);

    const tasks = await t.request('GET', '/api/tasks?kind=mentoringApproval', { as: leaderA });
    expect(tasks.status).toBe(200);
    expect(tasks.body.counts.mentoringApproval).toBe(await count({ state: 'proposed' }));
  });
});

describe('C1–C2: the Form.io forms', () => {
  it('C1: the proposal form creates the group; refusals land under the form’s fields', async () => {
    const submit = (members: unknown[]) =>
      t.request('POST', '/form/mentoringGroupProposal/submission', { as: counselorA, body: { data: { student: students[10], members, needs: { studyInterest: true, values: false, mentalHealth: true, legalAwareness: false, practicalDifficulties: false }, needsNote: '作息紊乱', plan: '每周面谈', submit: true } } });
    const two = await submit(trio(teachers[4]!, teachers[5]!));
    expect(two.status).toBe(400);
    expect(two.body.details).toEqual([expect.objectContaining({ path: 'members', rule: 'GROUP_SIZE' })]);
    const outside = await submit(trio(teachers[4]!, teacherB, teachers[5]!));
    expect(outside.body.details).toEqual([expect.objectContaining({ path: 'members[1].user', rule: 'MEMBER_OUTSIDE_COLLEGE' })]);
    expect(await groupsOf(students[10]!)).toBe(0);
    const made = await submit(trio(teachers[4]!, teachers[5]!, teachers[6]!));
    expect(made.status).toBe(201);
    const group = await MentoringGroupModel.findOne({ student: new mongoose.Types.ObjectId(students[10]) }).lean();
    expect(group).toMatchObject({ state: 'proposed', plan: '每周面谈' });
    expect(group!.needs.map((n) => [n.area, n.note])).toEqual([['studyInterest', '作息紊乱'], ['mentalHealth', '作息紊乱']]);
    expect(group!.members.map((m) => String(m.user))).toEqual([id(teachers[4]!), id(teachers[5]!), id(teachers[6]!)]);
  });

  it('C2: the activity form logs an activity of the member’s group', async () => {
    const group = await activeGroup(students[11]!, trio(teachers[4]!, teachers[5]!, teachers[6]!));
    const made = await t.request('POST', '/form/mentoringActivity/submission', { as: teachers[5]!, body: { data: { group: group.id, at: new Date().toISOString(), kind: 'call', areas: { practicalDifficulties: true, values: false }, summary: '电话了解勤工助学岗位申请情况', nextStep: '', submit: true } } });
    expect(made.status).toBe(201);
    const stored = await MentoringGroupModel.findById(group.id).lean();
    expect(stored!.activityCount).toBe(1);
    expect(await MentoringActivityModel.findOne({ group: stored!._id }).lean()).toMatchObject({ kind: 'call', areas: ['practicalDifficulties'], by: teachers[5]!.userId });
  });
});

describe('C1: a student newly marked special prompts a group', () => {
  it('C1: student.markedSpecial is published when the care tier becomes special, once', async () => {
    const marked = () => events.filter((e) => e.type === 'student.markedSpecial' && e.payload.studentNo === '2024MG0002');
    const created = await t.request('POST', '/api/students', { as: counselorA, body: { studentNo: '2024MG0002', name: '吴刚', gender: '男', birthDate: '2006-06-01', college: 'MA', major: '会计', grade: '2024', className: '会计1班', counselor: counselorA.username } });
    expect(created.status).toBe(201);
    expect(marked()).toHaveLength(0);
    const special = await t.request('PATCH', `/api/students/${created.body.id}`, { as: counselorA, body: { careTier: 'special' }, headers: { 'If-Match': `"${created.body.revision}"` } });
    expect(special.status).toBe(200);
    expect(marked()).toHaveLength(1);
    expect(marked()[0]).toMatchObject({ college: A, payload: { studentId: created.body.id, studentName: '吴刚', counselor: { userId: id(counselorA) }, link: expect.stringContaining(created.body.id) } });
    await t.request('PATCH', `/api/students/${created.body.id}`, { as: counselorA, body: { className: '会计2班' }, headers: { 'If-Match': `"${special.body.student.revision}"` } });
    expect(marked()).toHaveLength(1);
    expect(events.filter((e) => e.type === 'student.markedSpecial' && e.payload.studentId === sensitiveStudent)).toHaveLength(1);
  });

  it('C1: a roster import that marks students special prompts a group too — a new special student and an archive raised to special, each once', async () => {
    const header = ['学号', '姓名', '性别', '出生日期', '院系代码', '专业', '年级', '班级', '辅导员', '关注等级'];
    const csv = (rows: string[][]) => Buffer.from('\uFEFF' + [header, ...rows].map((r) => r.join(',')).join('\n'), 'utf8');
    const importRoster = async (rows: string[][]) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(csv(rows))]), 'roster.csv');
      const started = await fetch(`${t.url}/api/students/imports`, { method: 'POST', headers: { Cookie: officer.cookie! }, body: form });
      expect(started.status).toBe(202);
      const { id: job } = (await started.json()) as { id: string };
      for (;;) {
        const status = await t.request('GET', `/api/students/imports/${job}`, { as: officer });
        if (['completed', 'rejected', 'failed'].includes(status.body.status)) return status.body;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const marked = (studentNo: string) => events.filter((e) => e.type === 'student.markedSpecial' && e.payload.studentNo === studentNo);
    const base = (no: string, name: string, tier: string) => [no, name, '女', '2006-03-01', 'MA', '会计', '2024', '会计3班', counselorA.username, tier];
    expect(await importRoster([base('2024MI0001', '林晓', '特殊'), base('2024MI0002', '陈雨', '一般')])).toMatchObject({ status: 'completed', created: 2 });
    expect(marked('2024MI0001')).toEqual([expect.objectContaining({ college: A, payload: expect.objectContaining({ studentName: '林晓', counselor: expect.objectContaining({ userId: id(counselorA) }) }) })]);
    expect(marked('2024MI0002')).toHaveLength(0);
    expect(await importRoster([base('2024MI0001', '林晓', '特殊'), base('2024MI0002', '陈雨', '特殊')])).toMatchObject({ status: 'completed', updated: 1 });
    expect(marked('2024MI0001')).toHaveLength(1);
    expect(marked('2024MI0002')).toHaveLength(1);
  });
});
