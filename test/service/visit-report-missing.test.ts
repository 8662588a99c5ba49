import type { Types } from 'mongoose';
import { UserModel } from '../../server/identity/user.model';
import { seedArchives, seededNumber as no } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { day, planEntry, reportContent, visitFixtures } from '../support/visit-fixtures';

/**
 * D6: the approved visits whose report is missing a few days after their planned day — what the
 * reminder workflow sends to each visitor. Real service, real database.
 */

let t: TestService;
let A: Types.ObjectId;
let counselorA: Credentials;
let teacherA: Credentials;
let counselorB: Credentials;
let officer: Credentials;
let fixtures: ReturnType<typeof visitFixtures>;
let campaign: string;
let entries: Map<string, { id: string }>;

type Missing = {
  asOf: string;
  total: number;
  graceDays: number;
  items: Array<{ reportId: string; studentNo: string; dueOn: string; daysOverdue: number; reportState: string; visitors: Array<{ user: string | null; email: string | null }> }>;
  byVisitor: Array<{ visitor: { username: string; email: string | null }; visits: Array<{ studentNo: string }> }>;
};

const missing = async (as: Credentials, query: string): Promise<Missing> => {
  const answer = await t.request('GET', `/api/visit-reports/missing?${query}`, { as });
  expect(answer.status).toBe(200);
  return answer.body as Missing;
};

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A');
  const B = await t.college('B');
  officer = await t.staff('studentAffairs');
  const leaderA = await t.staff('collegeLeader', A);
  counselorA = await t.staff('counselor', A);
  teacherA = await t.staff('teacher', A);
  counselorB = await t.staff('counselor', B);
  await UserModel.updateOne({ _id: counselorA.userId }, { $set: { email: 'counselor-a@school.test' } });
  await seedArchives(A, 'A', 200, () => ({ counselor: counselorA.userId }));
  await seedArchives(B, 'B', 20);
  fixtures = visitFixtures(t, { officer, leader: leaderA, counselor: counselorA });
  campaign = await fixtures.campaign(['A', 'B'], -20, 30);
  entries = await fixtures.approvedPlan(campaign, 'A', [
    planEntry(no('A', 0), 'phone', [counselorA, teacherA], { plannedOn: day(-10) }), // nothing written
    planEntry(no('A', 1), 'phone', [counselorA], { plannedOn: day(-10) }), // a draft only
    planEntry(no('A', 2), 'phone', [counselorA], { plannedOn: day(-10) }), // submitted
    planEntry(no('A', 3), 'phone', [teacherA], { plannedOn: day(-2) }), // within the grace days
    planEntry(no('A', 4), 'phone', [counselorA]), // no day planned: due at the end of the window
  ]);
  await fixtures.draft(campaign, 'A', entries.get(no('A', 1))!.id, { place: '学生家中' });
  const done = await fixtures.draft(campaign, 'A', entries.get(no('A', 2))!.id, { ...reportContent(day(-10)), photos: await fixtures.photos(1, counselorA) });
  const submitted = await t.request('POST', `/api/visit-reports/${done.id}/submit`, { as: counselorA });
  expect(submitted.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('visits missing their report (D6)', () => {
  it('lists approved visits past their day and the grace days without a submitted report, drafts included', async () => {
    const found = await missing(officer, `campaign=${campaign}`);
    expect(found.graceDays).toBe(3);
    // Days overdue are counted to the service's today in Asia/Shanghai (`asOf`), which a run across midnight moves.
    const overdue = Math.round((Date.parse(found.asOf) - Date.parse(day(-10))) / 86_400_000);
    expect(overdue).toBeGreaterThanOrEqual(10);
    expect(found.items.map((i) => [i.studentNo, i.reportState, i.dueOn, i.daysOverdue])).toEqual([
      [no('A', 0), 'none', day(-10), overdue],
      [no('A', 1), 'draft', day(-10), overdue],
    ]);
    expect(found.total).toBe(2);
  });

  it('fewer grace days bring visits planned nearer to today in; a visit without a planned day waits for the end of the window', async () => {
    const found = await missing(officer, `campaign=${campaign}&graceDays=0`);
    expect(found.items.map((i) => i.studentNo)).toEqual([no('A', 0), no('A', 1), no('A', 3)]);
  });

  it('groups the visits by visitor with the e-mail a reminder goes to; a group visit reminds each visitor', async () => {
    const found = await missing(officer, `campaign=${campaign}`);
    const byName = new Map(found.byVisitor.map((g) => [g.visitor.username, g]));
    expect(byName.get(counselorA.username)?.visitor.email).toBe('counselor-a@school.test');
    expect(byName.get(counselorA.username)?.visits.map((v) => v.studentNo)).toEqual([no('A', 0), no('A', 1)]);
    expect(byName.get(teacherA.username)?.visits.map((v) => v.studentNo)).toEqual([no('A', 0)]);
    expect(found.items[0]!.visitors.map((v) => v.email)).toEqual(['counselor-a@school.test', null]);
  });

  it('without a campaign, looks at every open campaign; a college leader of another college sees none of college A', async () => {
    expect((await missing(officer, '')).items.map((i) => i.studentNo)).toEqual([no('A', 0), no('A', 1)]);
    expect((await missing(counselorB, `campaign=${campaign}`)).items).toEqual([]);
    expect((await missing(counselorA, `campaign=${campaign}&college=A`)).total).toBe(2);
  });

  it('refuses an unknown college and grace days out of range, naming the field', async () => {
    const unknown = await t.request('GET', `/api/visit-reports/missing?campaign=${campaign}&college=ZZ`, { as: officer });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].path).toBe('college');
    const tooMany = await t.request('GET', `/api/visit-reports/missing?graceDays=99`, { as: officer });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.details[0].path).toBe('graceDays');
  });

  it('are the visitor’s tasks: every approved visit of theirs not yet submitted, due the grace days after its day, overdue after that', async () => {
    const mine = await t.request('GET', '/api/tasks?kind=visitReport', { as: teacherA });
    expect(mine.status).toBe(200);
    const rows = mine.body.items as Array<{ id: string; title: string; overdue: boolean; href: string; student: { studentNo: string } }>;
    // The teacher visits A0 (with the counselor, nothing written: overdue) and A3 (two days ago: within the grace days).
    expect(rows.map((r) => [r.student.studentNo, r.overdue])).toEqual([[no('A', 0), true], [no('A', 3), false]]);
    expect(rows[0]!.title).toBe('填写家访报告：寒假家访');
    expect(rows[0]!.href).toBe(`/visits/mine?campaign=${campaign}`);
    const counselor = (await t.request('GET', '/api/tasks?kind=visitReport', { as: counselorA })).body.items as Array<{ title: string; student: { studentNo: string }; href: string }>;
    // The counselor's draft is a task until submitted; the submitted report is not; the undated visit waits for the window's end.
    expect(counselor.map((r) => r.student.studentNo)).toEqual([no('A', 0), no('A', 1), no('A', 4)]);
    expect(counselor[1]).toMatchObject({ title: '提交家访报告（草稿）：寒假家访', href: `/visits/reports/${encodeURIComponent(`${campaign}:${String(A)}:${entries.get(no('A', 1))!.id}`)}` });
  });
});
