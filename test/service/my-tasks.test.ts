import mongoose, { type Types } from 'mongoose';
import { academicYearOf } from '../../server/calendar/academic-calendar';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { openCampaign } from '../support/visit-campaign';

/**
 * My tasks (issue #11, item 2) over real HTTP on the real database: each role gets its own rows and
 * nothing of another counselor or college, earliest deadline first, and every kind of task leaves the
 * list the moment its work is done through the API (archive confirmed, contact logged, case closed,
 * parents told of an award, visit plan submitted and approved).
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let counselorA1: Credentials;
let counselorA2: Credentials;
let counselorB: Credentials;
let leaderA: Credentials;
let leaderB: Credentials;
let officer: Credentials;
let teacherA: Credentials;
let mentorA: Credentials;
let principal: Credentials;
let campaignId: string;
/** Archive ids by student number. */
const ids: Record<string, string> = {};
/** Case and award ids by their name in this file. */
const cases: Record<string, string> = {};
const awards: Record<string, string> = {};

const DAY = 86_400_000;
const YEAR = new Date().getFullYear();
const THIS_YEAR = academicYearOf(new Date());
const LAST_YEAR = `${Number(THIS_YEAR.slice(0, 4)) - 1}-${THIS_YEAR.slice(0, 4)}`;
const IMPLEMENTATION = { organization: '学院统一部署', schedule: '寒假期间分批开展', safety: '结伴出行，保持通讯畅通' };
const a = (i: number) => seededNumber('A', i);

interface Row {
  id: string;
  kind: string;
  kindZh: string;
  title: string;
  student: { id: string; studentNo: string; name: string } | null;
  dueAt: string | null;
  overdue: boolean;
  tier?: string;
  note?: string;
  href: string;
}
interface Answer {
  items: Row[];
  counts: Record<string, number>;
  kinds: Array<{ kind: string; zh: string; count: number; truncated: boolean }>;
  truncated: boolean;
}

async function tasks(who: Credentials, query = ''): Promise<Answer> {
  const answer = await t.request('GET', `/api/tasks${query}`, { as: who });
  expect(answer.status).toBe(200);
  return answer.body as Answer;
}

const rowIds = (answer: Answer) => answer.items.map((r) => r.id);
const setDeadline = (caseId: string, at: Date) => mongoose.connection.collection('keycases').updateOne({ _id: new mongoose.Types.ObjectId(caseId) }, { $set: { deadline: at } });

async function raise(who: Credentials, studentNo: string, category: string): Promise<string> {
  const raised = await t.request('POST', '/api/cases', { as: who, body: { student: studentNo, category, description: '情况说明' } });
  expect(raised.status).toBe(201);
  return raised.body.case.id as string;
}

async function award(who: Credentials, studentNo: string, title: string): Promise<string> {
  const recorded = await t.request('POST', '/api/awards', { as: who, body: { student: studentNo, kind: 'award', title, level: 'school', category: 'honour', date: `${YEAR}-01-05` } });
  expect(recorded.status).toBe(201);
  return recorded.body.id as string;
}

async function contact(who: Credentials, studentNo: string): Promise<string> {
  const logged = await t.request('POST', '/api/contacts', {
    as: who,
    body: { student: studentNo, guardianName: '家长', channel: 'phone', topics: ['grades'], summary: '电话沟通近况', parentFeedback: '家长表示会配合' },
  });
  expect(logged.status).toBe(201);
  return logged.body.id as string;
}

const planRoute = (college: string, tail = '') => `/api/visit-campaigns/${campaignId}/plans/${college}${tail}`;

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A', '信息工程学院');
  B = await t.college('B', '经济管理学院');
  counselorA1 = await t.staff('counselor', A, 'counselor.a1');
  counselorA2 = await t.staff('counselor', A, 'counselor.a2');
  counselorB = await t.staff('counselor', B, 'counselor.b');
  leaderA = await t.staff('collegeLeader', A, 'leader.a');
  leaderB = await t.staff('collegeLeader', B, 'leader.b');
  officer = await t.staff('studentAffairs', undefined, 'office');
  teacherA = await t.staff('teacher', A, 'teacher.a');
  mentorA = await t.staff('academicMentor', A, 'mentor.a');
  principal = await t.staff('schoolLeader', undefined, 'principal');

  // College A: A0–A2 are counselor A1's, A3 counselor A2's, A4 nobody's.
  const now = Date.now();
  const A_STUDENTS: Array<Record<string, unknown>> = [
    { counselor: counselorA1.userId, careTier: 'special', lastContactAt: new Date(now - 20 * DAY), lastConfirmedYear: THIS_YEAR }, // contact overdue by 6 days
    { counselor: counselorA1.userId, careTier: 'key', lastContactAt: new Date(now - 10 * DAY), lastConfirmedYear: LAST_YEAR }, // archive to confirm
    { counselor: counselorA1.userId, careTier: 'general' }, // never contacted, never confirmed
    { counselor: counselorA2.userId, careTier: 'special' },
    { careTier: 'general' },
  ];
  await seedArchives(A, 'A', A_STUDENTS.length, (i) => A_STUDENTS[i]!);
  // College B: B0 counselor B's, B1 and 205 more nobody's (more than one list shows).
  await seedArchives(B, 'B', 2, (i) => (i === 0 ? { counselor: counselorB.userId } : {}));
  await seedArchives(B, 'BX', 205);
  for (const s of await mongoose.connection.collection('students').find({ studentNo: { $in: [a(0), a(1), a(2), a(3), a(4), 'B00000', 'B00001'] } }).toArray()) ids[s.studentNo as string] = String(s._id);

  cases.c1 = await raise(teacherA, a(1), 'academic'); // counselor A1's student
  cases.c2 = await raise(teacherA, a(3), 'emergency'); // counselor A2's student
  cases.c3 = await raise(counselorB, 'B00000', 'other');
  cases.c4 = await raise(mentorA, a(4), 'cannotFollow'); // nobody's student: the mentor owns it
  cases.c5 = await raise(principal, 'B00000', 'statusChange');
  // c2 and c3 are overdue and escalated; c1 is overdue afterwards, not escalated.
  await setDeadline(cases.c2, new Date(now - 2 * DAY));
  await setDeadline(cases.c3, new Date(now - 2 * DAY));
  const escalated = await t.request('POST', '/api/cases/escalations', { as: officer });
  expect(escalated.body.escalated.map((e: { id: string }) => e.id).sort()).toEqual([cases.c2, cases.c3].sort());
  await setDeadline(cases.c1, new Date(now - 3_600_000));

  awards.w1 = await award(counselorA1, a(0), '校级三好学生');
  awards.w2 = await award(leaderA, a(4), '校级优秀学生干部'); // nobody's student: the leader owns it
  awards.w3 = await award(counselorB, 'B00000', '校级奖学金');
  awards.w4 = await award(counselorA2, a(3), '校级文明标兵');

  campaignId = await openCampaign(t, officer, ['A', 'B']);
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('who gets what', () => {
  it('a counselor: their own students’ archives, overdue contacts, cases and award notifications, and the college’s plan — nothing of another counselor or college', async () => {
    const mine = await tasks(counselorA1);
    expect(rowIds(mine).sort()).toEqual(
      [`archive:${ids[a(1)]}`, `archive:${ids[a(2)]}`, `contact:${ids[a(0)]}`, `contact:${ids[a(2)]}`, `case:${cases.c1}`, `award:${awards.w1}`, `planToFile:${campaignId}:${String(A)}`].sort(),
    );
    expect(mine.counts).toEqual({ case: 1, award: 1, contact: 2, planToFile: 1, visitReport: 0, feedback: 0, feedbackContact: 0, mentoringActivity: 0, archive: 2 });
    expect(mine.kinds.map((k) => [k.kind, k.zh])).toEqual([['case', '重点沟通事项'], ['award', '奖惩告知家长'], ['contact', '逾期联系'], ['planToFile', '家访计划待提交'], ['visitReport', '家访报告待提交'], ['feedback', '家长反馈待办'], ['feedbackContact', '家长希望联系'], ['mentoringActivity', '帮扶小组待记录活动'], ['archive', '档案年度确认']]);
    expect(mine.truncated).toBe(false);

    const byId = new Map(mine.items.map((r) => [r.id, r]));
    expect(byId.get(`contact:${ids[a(0)]}`)).toMatchObject({
      kind: 'contact', kindZh: '逾期联系', title: '联系家长（特殊学生，每 14 天）', tier: 'special', overdue: true,
      student: { id: ids[a(0)], studentNo: a(0), name: '学生A0' }, href: `/students/${ids[a(0)]}#contacts`,
    });
    expect(byId.get(`contact:${ids[a(2)]}`)).toMatchObject({ title: '联系家长（一般学生，每 90 天）', note: '尚无联系记录', overdue: true });
    // Due the tier's interval after the last contact: 20 days ago + 14 days.
    expect(Math.abs(Date.parse(byId.get(`contact:${ids[a(0)]}`)!.dueAt!) - (Date.now() - 6 * DAY))).toBeLessThan(120_000);
    expect(byId.get(`archive:${ids[a(1)]}`)).toMatchObject({ title: `确认 ${THIS_YEAR} 学年档案信息`, overdue: false, note: `上次确认：${LAST_YEAR} 学年`, href: `/students/${ids[a(1)]}#archive` });
    // Due by the end of the academic year (31 Aug 23:59:59.999 Asia/Shanghai).
    expect(byId.get(`archive:${ids[a(1)]}`)!.dueAt).toBe(`${THIS_YEAR.slice(5)}-08-31T15:59:59.999Z`);
    expect(byId.get(`case:${cases.c1}`)).toMatchObject({ title: '重点沟通：学分不足、旷课或挂科严重', overdue: true, student: { studentNo: a(1), name: '学生A1' }, href: `/students/${ids[a(1)]}#cases` });
    expect(byId.get(`award:${awards.w1}`)).toMatchObject({ title: '告知家长奖励：校级三好学生', overdue: false, student: { studentNo: a(0) }, href: `/students/${ids[a(0)]}#awards` });
    expect(byId.get(`planToFile:${campaignId}:${String(A)}`)).toMatchObject({
      title: `填报家访计划：${YEAR + 1}年寒假家访`, student: null, overdue: false, dueAt: `${YEAR + 1}-01-10T04:00:00.000Z`, href: `/visits/${campaignId}/plans/A`,
    });

    const other = await tasks(counselorA2);
    expect(rowIds(other).sort()).toEqual(
      [`archive:${ids[a(3)]}`, `contact:${ids[a(3)]}`, `case:${cases.c2}`, `award:${awards.w4}`, `planToFile:${campaignId}:${String(A)}`].sort(),
    );
    const collegeB = await tasks(counselorB);
    expect(collegeB.items.every((r) => r.student === null || r.student.studentNo.startsWith('B'))).toBe(true);
    expect(rowIds(collegeB)).toEqual(expect.arrayContaining([`case:${cases.c3}`, `case:${cases.c5}`, `award:${awards.w3}`, `planToFile:${campaignId}:${String(B)}`]));
  });

  it('lists the earliest deadline first', async () => {
    const mine = await tasks(counselorA1);
    // 6 days overdue, 1 hour overdue, due since the archive was made (a moment ago), then a week ahead.
    expect(rowIds(mine).slice(0, 4)).toEqual([`contact:${ids[a(0)]}`, `case:${cases.c1}`, `contact:${ids[a(2)]}`, `award:${awards.w1}`]);
    const times = mine.items.map((r) => (r.dueAt ? Date.parse(r.dueAt) : Infinity));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(mine.items.filter((r) => r.overdue).map((r) => r.kind)).toEqual(['contact', 'case', 'contact']);
  });

  it('a college leader: students no counselor looks after, every overdue case of the college to see through, their own notifications, the college’s plan', async () => {
    const lead = await tasks(leaderA);
    expect(rowIds(lead).sort()).toEqual(
      [`archive:${ids[a(4)]}`, `contact:${ids[a(4)]}`, `case:${cases.c1}`, `case:${cases.c2}`, `case:${cases.c4}`, `award:${awards.w2}`, `planToFile:${campaignId}:${String(A)}`].sort(),
    );
    const byId = new Map(lead.items.map((r) => [r.id, r]));
    expect(byId.get(`case:${cases.c2}`)).toMatchObject({ title: '督办重点沟通：突发事件、重大身心疾病', overdue: true, note: expect.stringMatching(/^已于 \d{4}年\d{1,2}月\d{1,2}日 上报院系领导$/) });
    expect(byId.get(`case:${cases.c1}`)).toMatchObject({ title: '督办重点沟通：学分不足、旷课或挂科严重', overdue: true });
    // A case on a student nobody looks after is the leader's own to handle, overdue or not.
    expect(byId.get(`case:${cases.c4}`)).toMatchObject({ title: '重点沟通：无法正常参加教学安排', overdue: false });

    const other = await tasks(leaderB);
    expect(other.items.some((r) => r.student?.studentNo.startsWith('A'))).toBe(false);
    expect(other.counts).toEqual({ case: 1, award: 0, contact: 206, planToFile: 1, planApproval: 0, visitReport: 0, feedback: 0, mentoringApproval: 0, mentoringActivity: 0, archive: 206 });
    // The 200 earliest due come first (the 206 families never contacted); the plan is there by its kind.
    expect(other.items).toHaveLength(200);
    expect(rowIds(other)[0]).toBe(`case:${cases.c3}`);
    expect(rowIds(await tasks(leaderB, '?kind=case'))).toEqual([`case:${cases.c3}`]); // c5 is not overdue, and B0 has a counselor
    expect(rowIds(await tasks(leaderB, '?kind=planToFile'))).toEqual([`planToFile:${campaignId}:${String(B)}`]);
  });

  it('student affairs: escalated cases of the whole school, and plans only once they reach its step', async () => {
    const office = await tasks(officer);
    expect(rowIds(office).sort()).toEqual([`case:${cases.c2}`, `case:${cases.c3}`].sort());
    expect(office.counts).toEqual({ case: 2, award: 0, planApproval: 0, visitReport: 0, feedback: 0, mentoringApproval: 0, mentoringActivity: 0 });
  });

  it('teachers, mentors and school leaders: the open cases they raised, to follow (read-only), and nothing else', async () => {
    const teacher = await tasks(teacherA);
    expect(rowIds(teacher).sort()).toEqual([`raisedCase:${cases.c1}`, `raisedCase:${cases.c2}`].sort());
    expect(teacher.items.find((r) => r.id === `raisedCase:${cases.c2}`)).toMatchObject({ title: '跟进：突发事件、重大身心疾病', note: '由 counselor.a2 办理，办结后自动移出', overdue: true, href: `/students/${ids[a(3)]}#cases` });
    expect(teacher.counts).toEqual({ raisedCase: 2, visitReport: 0, feedback: 0, mentoringActivity: 0 });
    expect(rowIds(await tasks(mentorA))).toEqual([`raisedCase:${cases.c4}`]);
    expect(rowIds(await tasks(principal))).toEqual([`raisedCase:${cases.c5}`]);
  });

  it('bounds every list and says so, with the full count', async () => {
    const lead = await tasks(leaderB, '?kind=archive');
    expect(lead.items).toHaveLength(200);
    expect(lead.counts).toEqual({ archive: 206 });
    expect(lead.kinds).toEqual([{ kind: 'archive', zh: '档案年度确认', en: 'Archives to confirm', count: 206, truncated: true }]);
    expect(lead.truncated).toBe(true);
    expect(new Set(lead.items.map((r) => r.kind))).toEqual(new Set(['archive']));

    const three = await tasks(counselorA1, '?limit=3');
    expect(three.items).toHaveLength(3);
    expect(three.truncated).toBe(true);
    expect(three.counts.archive).toBe(2);
    const contacts = await tasks(counselorA1, '?kind=contact');
    expect(rowIds(contacts)).toEqual([`contact:${ids[a(0)]}`, `contact:${ids[a(2)]}`]);
    expect(contacts.truncated).toBe(false);
    // A kind the actor does not get is an empty list, not an error.
    expect(await tasks(teacherA, '?kind=archive')).toMatchObject({ items: [], counts: {}, truncated: false });
  });

  it('refuses an unknown kind or limit, naming the field, and answers only the signed-in', async () => {
    const bad = await t.request('GET', '/api/tasks?kind=homework', { as: counselorA1 });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(['kind']);
    expect((await t.request('GET', '/api/tasks?limit=0', { as: counselorA1 })).status).toBe(400);
    expect((await t.request('GET', '/api/tasks?limit=501', { as: counselorA1 })).status).toBe(400);
    expect((await t.request('GET', '/api/tasks')).status).toBe(401);
  });

  it('answers parallel requests of several people each with their own list', async () => {
    const people = [counselorA1, counselorA2, leaderA, leaderB, officer, teacherA, mentorA, principal];
    const alone = await Promise.all(people.map(async (who) => rowIds(await tasks(who))));
    const together = await Promise.all([...people, ...people].map(async (who) => rowIds(await tasks(who))));
    expect(together).toEqual([...alone, ...alone]);
  });
});

describe('done work leaves the list at once', () => {
  it('an archive confirmed', async () => {
    expect((await t.request('POST', `/api/students/${a(1)}/confirm`, { as: counselorA1 })).status).toBe(200);
    const after = await tasks(counselorA1, '?kind=archive');
    expect(rowIds(after)).toEqual([`archive:${ids[a(2)]}`]);
  });

  it('a contact logged', async () => {
    await contact(counselorA1, a(0));
    expect(rowIds(await tasks(counselorA1, '?kind=contact'))).toEqual([`contact:${ids[a(2)]}`]);
    // The leader's unassigned student, contacted by the leader.
    await contact(leaderA, a(4));
    expect(rowIds(await tasks(leaderA, '?kind=contact'))).toEqual([]);
  });

  it('a case closed — for its counselor, the college leader and the teacher who raised it', async () => {
    const logged = await contact(counselorA1, a(1));
    expect((await t.request('POST', `/api/cases/${cases.c1}/close`, { as: counselorA1, body: { contact: logged, resolution: '已与家长沟通补考安排' } })).status).toBe(200);
    expect(rowIds(await tasks(counselorA1, '?kind=case'))).toEqual([]);
    expect(rowIds(await tasks(leaderA, '?kind=case'))).not.toContain(`case:${cases.c1}`);
    expect(rowIds(await tasks(teacherA))).toEqual([`raisedCase:${cases.c2}`]);

    const escalated = await contact(counselorB, 'B00000');
    expect((await t.request('POST', `/api/cases/${cases.c3}/close`, { as: counselorB, body: { contact: escalated, resolution: '已处理' } })).status).toBe(200);
    expect(rowIds(await tasks(officer))).toEqual([`case:${cases.c2}`]);
  });

  it('an award notification closed with a contact', async () => {
    const logged = await contact(counselorA1, a(0));
    expect((await t.request('POST', `/api/awards/${awards.w1}/notified`, { as: counselorA1, body: { contact: logged } })).status).toBe(200);
    expect(rowIds(await tasks(counselorA1, '?kind=award'))).toEqual([]);
    expect(rowIds(await tasks(counselorA2, '?kind=award'))).toEqual([`award:${awards.w4}`]);
  });

  it('a visit plan submitted, returned, submitted again and approved step by step', async () => {
    const toFile = `planToFile:${campaignId}:${String(A)}`;
    const toApprove = `planApproval:${campaignId}:${String(A)}`;
    const saved = await t.request('PUT', planRoute('A'), { as: counselorA1, body: { entries: [{ student: a(0), mode: 'onsite', kind: 'general', visitors: [{ user: counselorA1.username }] }], implementation: IMPLEMENTATION } });
    expect(saved.status).toBe(201);
    expect((await tasks(counselorA2, '?kind=planToFile')).items).toEqual([expect.objectContaining({ id: toFile, title: `提交家访计划（草稿）：${YEAR + 1}年寒假家访` })]);

    expect((await t.request('POST', planRoute('A', '/submit'), { as: counselorA1 })).status).toBe(200);
    for (const who of [counselorA1, counselorA2, leaderA]) expect(rowIds(await tasks(who))).not.toContain(toFile);
    const lead = await tasks(leaderA, '?kind=planApproval');
    expect(lead.items).toEqual([expect.objectContaining({ id: toApprove, title: `审批家访计划：信息工程学院 · ${YEAR + 1}年寒假家访`, href: `/visits/${campaignId}/plans/A`, dueAt: `${YEAR + 1}-01-14T16:00:00.000Z`, overdue: false })]);
    expect(rowIds(await tasks(leaderB))).not.toContain(toApprove);
    expect(rowIds(await tasks(officer))).not.toContain(toApprove);

    expect((await t.request('POST', planRoute('A', '/return'), { as: leaderA, body: { reason: '安全预案需细化' } })).status).toBe(200);
    expect(rowIds(await tasks(leaderA))).not.toContain(toApprove);
    expect((await tasks(counselorA1, '?kind=planToFile')).items).toEqual([expect.objectContaining({ id: toFile, title: `修改并重新提交家访计划（已退回）：${YEAR + 1}年寒假家访` })]);

    expect((await t.request('POST', planRoute('A', '/submit'), { as: counselorA1 })).status).toBe(200);
    expect((await t.request('POST', planRoute('A', '/approve'), { as: leaderA, body: {} })).status).toBe(200);
    expect(rowIds(await tasks(leaderA))).not.toContain(toApprove);
    expect(rowIds(await tasks(officer))).toContain(toApprove);

    expect((await t.request('POST', planRoute('A', '/approve'), { as: officer, body: {} })).status).toBe(200);
    expect(rowIds(await tasks(officer))).toEqual([`case:${cases.c2}`]);
    for (const who of [counselorA1, leaderA]) expect(rowIds(await tasks(who)).filter((id) => id.startsWith('plan'))).toEqual([]);
  });
});
