import mongoose, { Types } from 'mongoose';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * The student aid service team (E1) over real HTTP on the real database: who may join (the archive decides),
 * one current membership per student even for parallel requests, activities only with current members, the
 * year's hours per member, and who reads the team.
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let officer: Credentials;
let leaderA: Credentials;
let leaderB: Credentials;
let counselorA: Credentials;
let teacherA: Credentials;

const no = (i: number) => seededNumber('EA', i);
const studentId = async (studentNo: string) => (await mongoose.connection.collection('students').findOne({ studentNo }))!._id as Types.ObjectId;
const join = (as: Credentials, student: string, role = 'member') => t.request('POST', '/api/aid-team/members', { as, body: { student, role, from: '2026-09-01' } });
const penalty = async (studentNo: string, date: Date) => {
  const student = await mongoose.connection.collection('students').findOne({ studentNo });
  await mongoose.connection.collection('awards').insertOne({
    student: student!._id, college: student!.college, kind: 'penalty', title: '警告', level: 'school', category: 'other', date, recordedBy: officer.userId, owner: officer.userId, notifyStatus: 'open', goodNews: false, deliveries: [],
  });
};
const hardship = { specialCategories: ['financialHardship'], careTier: 'key' };

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A', '会计学院');
  B = await t.college('B', '信息学院');
  officer = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', A);
  leaderB = await t.staff('collegeLeader', B);
  counselorA = await t.staff('counselor', A);
  teacherA = await t.staff('teacher', A);
  await seedArchives(A, 'EA', 12, (i) => {
    if (i === 1) return { specialCategories: ['disability'], careTier: 'special' };
    if (i === 2) return { specialCategories: ['financialHardship', 'academic'], careTier: 'special' };
    return hardship;
  });
  await seedArchives(B, 'EB', 2, () => hardship);
  await penalty(no(3), new Date(Date.now() - 100 * 86_400_000));
  await penalty(no(4), new Date(Date.now() - 800 * 86_400_000));
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

describe('E1 aid service team: eligibility from the archive', () => {
  it('E1: refuses a student not recorded as from a hardship family, naming why', async () => {
    const refused = await join(leaderA, no(1));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('NOT_ELIGIBLE');
    expect(refused.body.reasons).toEqual([expect.objectContaining({ code: 'NOT_HARDSHIP', message: expect.stringContaining('家庭经济困难'), messageEn: expect.stringContaining('financial hardship') })]);
    expect(refused.body.messageZh).toContain('家庭经济困难');
  });

  it('E1: refuses academic difficulty and a penalty within 12 months; accepts an older penalty and the eligible', async () => {
    const academic = await join(leaderA, no(2));
    expect(academic.status).toBe(422);
    expect(academic.body.reasons.map((r: { code: string }) => r.code)).toEqual(['ACADEMIC_DIFFICULTY']);
    expect(academic.body.reasons[0].message).toContain('学业困难');
    const penalised = await join(leaderA, no(3));
    expect(penalised.status).toBe(422);
    expect(penalised.body.reasons.map((r: { code: string }) => r.code)).toEqual(['RECENT_PENALTY']);
    expect(penalised.body.reasons[0].messageEn).toContain('12 months');

    const old = await join(leaderA, no(4));
    expect(old.status).toBe(201);
    const eligible = await join(leaderA, no(0), 'captain');
    expect(eligible.status).toBe(201);
    expect(eligible.body).toMatchObject({ role: 'captain', roleLabel: '队长', active: true, from: '2026-09-01', student: { studentNo: no(0), name: '学生EA0' }, college: String(A) });
    expect(await mongoose.connection.collection('aidteammembers').countDocuments({ student: await studentId(no(2)) })).toBe(0);
  });

  it('E1: a college leader adds only students of their college; a counselor may not add', async () => {
    expect((await join(leaderB, no(5))).status).toBe(404);
    expect((await join(counselorA, no(5))).status).toBe(403);
  });
});

describe('E1 aid service team: one current membership per student', () => {
  it('E1: of two parallel requests for one student exactly one joins; after ending, the student may join again', async () => {
    const both = await Promise.all([join(leaderA, no(5)), join(officer, no(5))]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)!.body.code).toBe('ALREADY_MEMBER');
    expect((await join(officer, no(5))).status).toBe(409);
    const student = await studentId(no(5));
    expect(await mongoose.connection.collection('aidteammembers').countDocuments({ student, active: true })).toBe(1);

    const member = both.find((r) => r.status === 201)!.body;
    const ended = await t.request('POST', `/api/aid-team/members/${member.id}/end`, { as: leaderA, body: { to: '2027-01-15', reason: '毕业实习' } });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ active: false, to: '2027-01-15', endReason: '毕业实习' });
    expect((await t.request('POST', `/api/aid-team/members/${member.id}/end`, { as: leaderA, body: { to: '2027-01-16' } })).status).toBe(409);
    const again = await join(leaderA, no(5), 'viceCaptain');
    expect(again.status).toBe(201);
    expect(await mongoose.connection.collection('aidteammembers').countDocuments({ student, active: true })).toBe(1);
  });

  it('E1: a claim left by a writer that died before storing the membership does not block the student for ever', async () => {
    const student = await studentId(no(6));
    await mongoose.connection.collection('aidteammembershipclaims').insertOne({ _id: student, member: new Types.ObjectId(), college: A, at: new Date(Date.now() - 10 * 60_000) });
    const joined = await join(leaderA, no(6));
    expect(joined.status).toBe(201);
    expect((await mongoose.connection.collection('aidteammembershipclaims').findOne({ _id: student }))!.member).toEqual(new Types.ObjectId(joined.body.id as string));
  });
});

describe('E1 aid service team: activities and the year’s hours', () => {
  let m7: string;
  let m8: string;
  let ended: string;
  let memberB: string;

  beforeAll(async () => {
    m7 = (await join(leaderA, no(7))).body.id;
    m8 = (await join(leaderA, no(8))).body.id;
    ended = (await join(leaderA, no(9))).body.id;
    await t.request('POST', `/api/aid-team/members/${ended}/end`, { as: leaderA, body: { to: '2026-10-01' } });
    memberB = (await join(leaderB, seededNumber('EB', 0))).body.id;
  });

  const log = (as: Credentials, kind: string, date: string, participants: { member: string; hours: number }[]) => t.request('POST', '/api/aid-team/activities', { as, body: { kind, title: `${kind} ${date}`, date, place: '图书馆', participants } });

  it('E1: every participant must be a current member (in the actor’s college); nothing is stored otherwise', async () => {
    const before = await mongoose.connection.collection('aidteamactivities').countDocuments();
    const withEnded = await log(leaderA, 'volunteering', '2027-03-01', [{ member: m7, hours: 2 }, { member: ended, hours: 3 }]);
    expect(withEnded.status).toBe(422);
    expect(withEnded.body.code).toBe('NOT_CURRENT_MEMBER');
    expect(withEnded.body.details).toEqual([expect.objectContaining({ path: 'participants[1].member', message: expect.stringContaining('不是在队成员') })]);
    const otherCollege = await log(leaderA, 'volunteering', '2027-03-01', [{ member: memberB, hours: 2 }]);
    expect(otherCollege.status).toBe(422);
    const unknown = await log(leaderA, 'volunteering', '2027-03-01', [{ member: String(new Types.ObjectId()), hours: 2 }]);
    expect(unknown.status).toBe(422);
    const tooLong = await log(leaderA, 'volunteering', '2027-03-01', [{ member: m7, hours: 25 }]);
    expect(tooLong.status).toBe(400);
    expect(await mongoose.connection.collection('aidteamactivities').countDocuments()).toBe(before);
  });

  it('E1: a member’s year summary and the team’s summary match the logged hours, by kind', async () => {
    const logged = [
      await log(leaderA, 'policyPublicity', '2027-03-02', [{ member: m7, hours: 2 }, { member: m8, hours: 1.5 }]),
      await log(leaderA, 'volunteering', '2027-04-10', [{ member: m7, hours: 4 }]),
      await log(officer, 'volunteering', '2027-05-01', [{ member: m7, hours: 3.5 }, { member: memberB, hours: 6 }]),
      await log(leaderA, 'socialPractice', '2026-12-20', [{ member: m7, hours: 8 }]),
    ];
    expect(logged.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(logged[0]!.body).toMatchObject({ kind: 'policyPublicity', kindLabel: '政策宣传', hours: 3.5, year: 2027 });

    const mine = await t.request('GET', `/api/aid-team/members/${m7}/summary?year=2027`, { as: leaderA });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ year: 2027, activities: 3, hours: 9.5, member: { id: m7 } });
    expect(mine.body.byKind).toMatchObject({ policyPublicity: { activities: 1, hours: 2 }, volunteering: { activities: 2, hours: 7.5 }, socialPractice: { activities: 0, hours: 0 } });
    const lastYear = await t.request('GET', `/api/aid-team/members/${m7}/summary?year=2026`, { as: leaderA });
    expect(lastYear.body).toMatchObject({ activities: 1, hours: 8, byKind: { socialPractice: { hours: 8 } } });

    const team = await t.request('GET', '/api/aid-team/summary?year=2027', { as: officer });
    expect(team.status).toBe(200);
    const hours = Object.fromEntries(team.body.items.map((row: { member: { id: string }; hours: number }) => [row.member.id, row.hours]));
    expect(hours).toEqual({ [m7]: 9.5, [m8]: 1.5, [memberB]: 6 });
    expect(team.body.totals).toEqual({ members: 3, hours: 17 });

    const listed = await t.request('GET', '/api/aid-team/activities?year=2027&kind=volunteering', { as: leaderA });
    expect(listed.body.items.map((a: { date: string }) => a.date)).toEqual(['2027-04-10', '2027-05-01']);
  });

  it('E1: another college’s leader sees none of the college’s members (404 for one), teachers are refused', async () => {
    const listB = await t.request('GET', '/api/aid-team/members?active=true', { as: leaderB });
    expect(listB.status).toBe(200);
    expect(listB.body.items.map((m: { id: string }) => m.id)).toEqual([memberB]);
    expect((await t.request('GET', `/api/aid-team/members?college=${A}`, { as: leaderB })).body).toMatchObject({ items: [], total: 0 });
    expect((await t.request('GET', `/api/aid-team/members/${m7}`, { as: leaderB })).status).toBe(404);
    expect((await t.request('GET', `/api/aid-team/members/${m7}/summary?year=2027`, { as: leaderB })).status).toBe(404);
    expect((await t.request('POST', `/api/aid-team/members/${m7}/end`, { as: leaderB, body: { to: '2027-06-01' } })).status).toBe(404);
    const teamB = await t.request('GET', '/api/aid-team/summary?year=2027', { as: leaderB });
    expect(teamB.body.items.map((row: { member: { id: string } }) => row.member.id)).toEqual([memberB]);
    const listA = await t.request('GET', '/api/aid-team/members?active=true&limit=2', { as: counselorA });
    expect(listA.body.items).toHaveLength(2);
    expect(listA.body.total).toBeGreaterThanOrEqual(5);
    const page2 = await t.request('GET', `/api/aid-team/members?active=true&limit=2&after=${listA.body.next}`, { as: counselorA });
    expect(page2.body.items[0].id > listA.body.items[1].id).toBe(true);
    expect((await t.request('GET', '/api/aid-team/members', { as: teacherA })).status).toBe(403);
    expect((await t.request('GET', '/api/aid-team/summary?year=2027', { as: teacherA })).status).toBe(403);
  });

  it('E1: an activity whose writer died before writing its participations still counts in the year’s hours', async () => {
    const m = await mongoose.connection.collection('aidteammembers').findOne({ _id: new Types.ObjectId(m8) });
    await mongoose.connection.collection('aidteamactivities').insertOne({
      kind: 'socialPractice', title: '中断的记录', date: new Date('2028-02-01'), year: 2028, participants: [{ member: m!._id, student: m!.student, studentName: m!.studentName, hours: 5 }],
      college: A, colleges: [A], counted: false, createdBy: leaderA.userId,
    });
    const summary = await t.request('GET', `/api/aid-team/members/${m8}/summary?year=2028`, { as: leaderA });
    expect(summary.body).toMatchObject({ activities: 1, hours: 5, byKind: { socialPractice: { hours: 5 } } });
    expect((await t.request('GET', '/api/aid-team/summary?year=2028', { as: officer })).body.totals).toEqual({ members: 1, hours: 5 });
  });

  it('E1: the aid-team activity form logs the activity under its submission', async () => {
    const submitted = await t.request('POST', '/form/aidTeamActivity/submission', {
      as: leaderA,
      body: { data: { kind: 'socialService', title: '社区助老', date: '2027-06-01T00:00:00+08:00', place: '社区', participants: [{ member: m8, hours: 2.5 }], submit: true } },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body.metadata.linked).toEqual({ type: 'aidTeamActivity', id: submitted.body._id });
    const summary = await t.request('GET', `/api/aid-team/members/${m8}/summary?year=2027`, { as: leaderA });
    expect(summary.body).toMatchObject({ hours: 4, byKind: { socialService: { activities: 1, hours: 2.5 } } });
    const refused = await t.request('POST', '/form/aidTeamActivity/submission', {
      as: leaderA,
      body: { data: { kind: 'socialService', title: '社区助老', date: '2027-06-02', participants: [{ member: ended, hours: 2 }], submit: true } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'participants[0].member', context: expect.objectContaining({ key: 'member' }) })]);
  });
});
