import mongoose, { type Types } from 'mongoose';
import { isLate, parseDeadline } from '../../server/visits/deadlines';
import { requiredVisits } from '../../server/visits/coverage';
import { startRecordingServer } from '../support/recording-server';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { pdfText } from '../support/pdf-text';
import { seedArchives } from '../support/seed-archives';

/**
 * Home-visit campaigns and college plans (issue #12, D1–D5) over real HTTP on the real database:
 * coverage at its exact boundary, students counted once, school-leader visits apart, approval by the
 * approver in scope only (and once under concurrency), returns with reasons, the Asia/Shanghai
 * deadline, amendments approved again while the approved version stays readable.
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let officer: Credentials;
let officer2: Credentials;
let leaderA: Credentials;
let leaderB: Credentials;
let counselorA: Credentials;
let counselorB: Credentials;
let teacherA: Credentials;
let principal: Credentials;

const YEAR = new Date().getFullYear();
const ACADEMIC_YEAR = `${YEAR}-${YEAR + 1}`;
const GRADES = ['2022', '2023', '2024', '2025'];
const MAJORS = ['会计', '软件技术', '机电一体化'];
const IMPLEMENTATION = { organization: '学院党委统一部署，辅导员分片负责', schedule: '1月15日至2月20日分批开展', safety: '出行前报备行程，结伴出行，保持通讯畅通' };

/** Archives inserted straight into the database: 3,412 for college A and 250 for college B. */
const seedStudents = (college: Types.ObjectId, prefix: string, count: number) =>
  seedArchives(college, prefix, count, (i) => ({ major: MAJORS[i % MAJORS.length], grade: GRADES[i % GRADES.length], className: `${MAJORS[i % MAJORS.length]}1班` }));

const no = (prefix: string, i: number) => `${prefix}${String(i).padStart(5, '0')}`;

function visit(student: string, visitor: Credentials = counselorA, extra: Record<string, unknown> = {}) {
  return { student, mode: 'onsite', kind: 'general', visitors: [{ user: visitor.username }], ...extra };
}

function visits(prefix: string, from: number, count: number, visitor?: Credentials) {
  return Array.from({ length: count }, (_, i) => visit(no(prefix, from + i), visitor));
}

async function campaign(overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await t.request('POST', '/api/visit-campaigns', {
    as: officer,
    body: {
      title: `${YEAR + 1}年寒假家访`, theme: '家校对接·共促成长', notice: '各学院：学校决定开展寒假家访活动……', break: 'winter',
      visitStartsOn: `${YEAR + 1}-01-15`, visitEndsOn: `${YEAR + 1}-02-20`, planDueAt: `${YEAR + 1}-01-10 12:00`,
      departments: [{ kind: 'publicity', name: '宣传部' }, { kind: 'youthLeague', name: '校团委' }], colleges: ['A', 'B'],
      ...overrides,
    },
  });
  expect(created.status).toBe(201);
  expect(created.body.academicYear).toBe(ACADEMIC_YEAR);
  const opened = await t.request('POST', `/api/visit-campaigns/${created.body.id}/open`, { as: officer });
  expect(opened.status).toBe(200);
  return created.body.id as string;
}

const planRoute = (campaignId: string, college: string, tail = '') => `/api/visit-campaigns/${campaignId}/plans/${college}${tail}`;

async function file(campaignId: string, college: string, entries: unknown[], as: Credentials = college === 'A' ? counselorA : counselorB) {
  return t.request('PUT', planRoute(campaignId, college), { as, body: { entries, implementation: IMPLEMENTATION } });
}

async function approveFully(campaignId: string, college: string, leader: Credentials) {
  expect((await t.request('POST', planRoute(campaignId, college, '/approve'), { as: leader, body: {} })).status).toBe(200);
  const done = await t.request('POST', planRoute(campaignId, college, '/approve'), { as: officer, body: {} });
  expect(done.status).toBe(200);
  return done;
}

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A');
  B = await t.college('B');
  officer = await t.staff('studentAffairs');
  officer2 = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', A);
  leaderB = await t.staff('collegeLeader', B);
  counselorA = await t.staff('counselor', A);
  counselorB = await t.staff('counselor', B);
  teacherA = await t.staff('teacher', A);
  principal = await t.staff('schoolLeader');
  await seedStudents(A, 'A', 3412);
  await seedStudents(B, 'B', 250);
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('campaigns (D1)', () => {
  it('reads deadlines as Asia/Shanghai wall time, fills the defaults, and only student affairs creates and opens', async () => {
    const created = await t.request('POST', '/api/visit-campaigns', {
      as: officer,
      body: { title: '2027年寒假家访', break: 'winter', visitStartsOn: '2027-01-15', visitEndsOn: '2027-02-20', planDueAt: '2026-12-29 12:00' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      planDueAt: '2026-12-29T04:00:00.000Z', planDueText: '2026年12月29日 12:00', statisticsDueAt: '2026-12-29T04:00:00.000Z', academicYear: '2026-2027',
      coveragePercent: 1, coverageText: '1%', leaderVisitsCount: true, evidence: { onsite: 4, video: 2, phone: 1 }, approvalSteps: ['collegeLeader', 'studentAffairs'], state: 'draft',
    });
    expect(created.body.colleges.sort()).toEqual([String(A), String(B)].sort());
    expect(created.headers.get('etag')).toBe('"1"');

    // A draft is student affairs' own business; the colleges see it once opened.
    expect((await t.request('GET', `/api/visit-campaigns/${created.body.id}`, { as: counselorA })).status).toBe(404);
    for (const who of [leaderA, counselorA, teacherA, principal]) {
      expect((await t.request('POST', '/api/visit-campaigns', { as: who, body: created.body })).status).toBe(403);
      expect((await t.request('POST', `/api/visit-campaigns/${created.body.id}/open`, { as: who })).status).toBe(403);
    }
    expect((await t.request('PATCH', `/api/visit-campaigns/${created.body.id}`, { as: officer, body: { coveragePercent: 1.5 }, headers: { 'If-Match': '"1"' } })).body.coverageText).toBe('1.5%');
    expect((await t.request('PATCH', `/api/visit-campaigns/${created.body.id}`, { as: officer, body: { coveragePercent: 2 }, headers: { 'If-Match': '"1"' } })).body.code).toBe('REVISION_CONFLICT');
    const opened = await t.request('POST', `/api/visit-campaigns/${created.body.id}/open`, { as: officer });
    expect(opened.body).toMatchObject({ state: 'open', revision: 3 });
    expect((await t.request('GET', `/api/visit-campaigns/${created.body.id}`, { as: counselorA })).status).toBe(200);
    expect((await t.request('PATCH', `/api/visit-campaigns/${created.body.id}`, { as: officer, body: { title: '改名' } })).status).toBe(409);
  });

  it('refuses an impossible campaign, naming each field', async () => {
    const bad = await t.request('POST', '/api/visit-campaigns', {
      as: officer,
      body: { title: '坏活动', break: 'winter', visitStartsOn: '2027-02-20', visitEndsOn: '2027-01-15', planDueAt: '2026-13-29 12:00', colleges: ['A', 'ZZ'], coveragePercent: 0.001 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['coveragePercent']);
    const worse = await t.request('POST', '/api/visit-campaigns', {
      as: officer,
      body: { title: '坏活动', break: 'winter', visitStartsOn: '2027-02-20', visitEndsOn: '2027-01-15', planDueAt: '2026-13-29 12:00', colleges: ['A', 'ZZ'] },
    });
    expect(worse.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['colleges[1]', 'planDueAt', 'visitEndsOn']);
    expect(worse.body.details.find((d: { path: string }) => d.path === 'colleges[1]').message).toBe('学院“ZZ”不存在');
  });
});

describe('the deadline in Asia/Shanghai', () => {
  it('is met at 12:00:00 and missed at 12:00:01 on the due day', () => {
    const due = parseDeadline('2026-12-29 12:00')!;
    expect(due.toISOString()).toBe('2026-12-29T04:00:00.000Z');
    expect(isLate(due, new Date('2026-12-29T11:59:59+08:00'))).toBe(false);
    expect(isLate(due, new Date('2026-12-29T12:00:00+08:00'))).toBe(false);
    expect(isLate(due, new Date('2026-12-29T12:00:01+08:00'))).toBe(true);
    expect(parseDeadline('2026-12-29T12:00:00Z')!.toISOString()).toBe('2026-12-29T12:00:00.000Z');
  });

  it('refuses a first filing after the deadline unless that college was given an extension (who, why, until)', async () => {
    const id = await campaign();
    expect((await file(id, 'A', visits('A', 100, 35))).status).toBe(201);
    expect((await file(id, 'B', visits('B', 100, 3, counselorB))).status).toBe(201);
    // The deadline passed a second ago.
    await mongoose.connection.collection('visitcampaigns').updateOne({ _id: new mongoose.Types.ObjectId(id) }, { $set: { planDueAt: new Date(Date.now() - 1000) } });
    const late = await t.request('POST', planRoute(id, 'A', '/submit'), { as: counselorA });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('DEADLINE_PASSED');
    expect(late.body.messageZh).toMatch(/^家访计划申报已于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）截止/);

    expect((await t.request('POST', `/api/visit-campaigns/${id}/extensions`, { as: leaderA, body: { college: 'A', until: `${YEAR + 1}-01-12 12:00`, reason: '学院领导外出' } })).status).toBe(403);
    const extended = await t.request('POST', `/api/visit-campaigns/${id}/extensions`, { as: officer, body: { college: 'A', until: `${YEAR + 1}-01-12 12:00`, reason: '学院领导外出' } });
    expect(extended.status).toBe(201);
    expect(extended.body.extensions).toEqual([expect.objectContaining({ college: String(A), reason: '学院领导外出', byName: officer.username, untilText: `${YEAR + 1}年1月12日 12:00` })]);
    expect((await t.request('POST', planRoute(id, 'A', '/submit'), { as: counselorA })).status).toBe(200);
    expect((await t.request('POST', planRoute(id, 'B', '/submit'), { as: counselorB })).body.code).toBe('DEADLINE_PASSED');

    const overview = await t.request('GET', `/api/visit-campaigns/${id}/overview`, { as: officer });
    expect(overview.body.colleges.map((c: { code: string; state: string; extended: boolean; overdue: boolean }) => [c.code, c.state, c.extended, c.overdue])).toEqual([
      ['A', 'submitted', true, false],
      ['B', 'draft', false, true],
    ]);
    expect(overview.body.withoutSubmittedPlan).toEqual([String(B)]);
    expect(overview.body.withoutApprovedPlan.sort()).toEqual([String(A), String(B)].sort());
    const ownOnly = await t.request('GET', `/api/visit-campaigns/${id}/overview`, { as: leaderB });
    expect(ownOnly.body.colleges.map((c: { code: string }) => c.code)).toEqual(['B']);
  });
});

describe('coverage (D3): ⌈rate × students⌉ distinct students of the college', () => {
  it('computes the bound in whole numbers', () => {
    expect(requiredVisits(3412, 100)).toBe(35);
    expect(requiredVisits(3400, 100)).toBe(34);
    expect(requiredVisits(100, 7)).toBe(1);
    expect(requiredVisits(10_000, 700)).toBe(700);
    expect(requiredVisits(0, 100)).toBe(0);
  });

  it('accepts exactly ⌈1% × 3,412⌉ = 35 and refuses 34 with the numbers in the message', async () => {
    const id = await campaign();
    const saved = await file(id, 'A', visits('A', 0, 34));
    expect(saved.status).toBe(201);
    expect(saved.body.coverage).toMatchObject({ enrolled: 3412, required: 35, counted: 34, met: false, percent: '1%' });
    // Per grade and major, from the archive (853 students per grade; 34 planned spread over them).
    expect(saved.body.coverage.byGrade).toEqual([
      { grade: '2022', enrolled: 853, planned: 9 },
      { grade: '2023', enrolled: 853, planned: 9 },
      { grade: '2024', enrolled: 853, planned: 8 },
      { grade: '2025', enrolled: 853, planned: 8 },
    ]);
    expect(saved.body.coverage.byMajor.map((m: { major: string; enrolled: number; planned: number }) => [m.major, m.enrolled, m.planned])).toEqual([
      ['会计', 1138, 12], ['机电一体化', 1137, 11], ['软件技术', 1137, 11],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));

    const refused = await t.request('POST', planRoute(id, 'A', '/submit'), { as: counselorA });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ path: 'entries', message: '需至少 35 人（3,412 × 1%），当前 34 人', messageEn: 'at least 35 students needed (3,412 × 1%), 34 planned', rule: 'coverage' }]);

    const ids = saved.body.entries.map((e: { id: string }) => e.id);
    const kept = saved.body.entries.map((e: { id: string; studentNo: string }) => ({ ...visit(e.studentNo), id: e.id }));
    const enough = await t.request('PUT', planRoute(id, 'A'), { as: counselorA, body: { entries: [...kept, visit(no('A', 34))] }, headers: { 'If-Match': `"${saved.body.revision}"` } });
    expect(enough.status).toBe(200);
    expect(enough.body.entries.slice(0, 34).map((e: { id: string }) => e.id)).toEqual(ids);
    expect(enough.body.implementation).toEqual({ ...IMPLEMENTATION, other: '' });
    const submitted = await t.request('POST', planRoute(id, 'A', '/submit'), { as: counselorA });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ state: 'submitted', awaiting: { step: 0, role: 'collegeLeader' }, coverage: { counted: 35, required: 35, met: true } });
  });

  it('counts each student once: a student planned twice, of another college, or unknown is refused on the row', async () => {
    const id = await campaign();
    const answer = await file(id, 'A', [visit(no('A', 1)), visit(no('A', 2)), visit(no('A', 1), counselorA, { mode: 'phone' }), visit(no('B', 1)), visit('X-404')]);
    expect(answer.status).toBe(400);
    expect(answer.body.details).toEqual([
      { path: 'entries[2].student', message: `学生 ${no('A', 1)}（学生A1）已在第 1 行，每名学生只能计划一次`, messageEn: `student ${no('A', 1)} is already planned in row 1`, rule: 'duplicate' },
      { path: 'entries[3].student', message: `学生 ${no('B', 1)}（学生B1）不属于本学院`, messageEn: `student ${no('B', 1)} belongs to another college`, rule: 'college' },
      { path: 'entries[4].student', message: '学生“X-404”不存在', messageEn: 'no student "X-404" in the archive', rule: 'exists' },
    ]);
    expect(await mongoose.connection.collection('visitplans').countDocuments({ campaign: new mongoose.Types.ObjectId(id) })).toBe(0);
    // Named by archive id and by student number, it is still one student.
    const archiveId = String((await mongoose.connection.collection('students').findOne({ studentNo: no('A', 5) }))!._id);
    const same = await file(id, 'A', [visit(archiveId), visit(no('A', 5))]);
    expect(same.body.details).toEqual([expect.objectContaining({ path: 'entries[1].student', rule: 'duplicate' })]);
  });

  it('shows school-leader visits apart and counts them as the campaign says', async () => {
    // College B: 250 students → 3 required. Two college visits and one school-leader visit.
    const entries = [visit(no('B', 10), counselorB), visit(no('B', 11), counselorB), visit(no('B', 12), principal, { mode: 'video', kind: 'scheduled' })];
    const apart = await campaign({ leaderVisitsCount: false });
    const filed = await file(apart, 'B', entries);
    expect(filed.body.leaderVisits.map((e: { studentNo: string; visitors: Array<{ role: string }> }) => [e.studentNo, e.visitors[0]!.role])).toEqual([[no('B', 12), 'schoolLeader']]);
    expect(filed.body.coverage).toMatchObject({ enrolled: 250, required: 3, counted: 2, leaderVisits: { students: 1, countTowardCoverage: false } });
    const refused = await t.request('POST', planRoute(apart, 'B', '/submit'), { as: counselorB });
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'entries', message: '需至少 3 人（250 × 1%），当前 2 人' })]);

    const together = await campaign({ leaderVisitsCount: true });
    const counted = await file(together, 'B', entries);
    expect(counted.body.coverage).toMatchObject({ required: 3, counted: 3, leaderVisits: { students: 1, countTowardCoverage: true } });
    expect((await t.request('POST', planRoute(together, 'B', '/submit'), { as: counselorB })).status).toBe(200);

    const overview = await t.request('GET', `/api/visit-campaigns/${apart}/overview`, { as: officer });
    expect(overview.body.colleges.find((c: { code: string }) => c.code === 'B')).toMatchObject({ students: 250, required: 3, planned: 2, leaderVisits: 1, state: 'draft' });
    expect(overview.body.colleges.find((c: { code: string }) => c.code === 'A')).toMatchObject({ students: 3412, required: 35, planned: 0, state: 'none', stateZh: '未填报' });
    expect(overview.body.withoutApprovedPlan.sort()).toEqual([String(A), String(B)].sort());
  });
});

describe('approval (D5)', () => {
  it('goes college leader → student affairs; only the approver of the step, in scope, may act; events tell who is next', async () => {
    const receiver = await startRecordingServer();
    expect((await t.request('POST', '/api/webhooks', { as: officer, body: { url: receiver.url, events: ['visitPlan.submitted', 'visitPlan.approved', 'visitPlan.returned'], secret: 'a-long-enough-shared-secret' } })).status).toBe(201);
    const id = await campaign();
    await file(id, 'B', visits('B', 20, 3, counselorB));
    expect((await t.request('POST', planRoute(id, 'B', '/approve'), { as: leaderB, body: {} })).status).toBe(409); // a draft
    expect((await t.request('POST', planRoute(id, 'B', '/submit'), { as: counselorA })).status).toBe(404); // another college's plan
    expect((await t.request('POST', planRoute(id, 'B', '/submit'), { as: counselorB })).status).toBe(200);

    expect((await t.request('POST', planRoute(id, 'B', '/approve'), { as: leaderA, body: {} })).status).toBe(404); // out of scope
    expect((await t.request('POST', planRoute(id, 'B', '/approve'), { as: counselorB, body: {} })).status).toBe(403); // no permission
    const early = await t.request('POST', planRoute(id, 'B', '/approve'), { as: officer, body: {} });
    expect([early.status, early.body.messageZh]).toEqual([403, '此步骤应由本学院领导审批']);
    expect((await t.request('PUT', planRoute(id, 'B'), { as: counselorB, body: { entries: [] } })).body.code).toBe('PLAN_STATE');

    const first = await t.request('POST', planRoute(id, 'B', '/approve'), { as: leaderB, body: {} });
    expect(first.body).toMatchObject({ state: 'submitted', awaiting: { step: 1, role: 'studentAffairs' }, approvals: [{ role: 'collegeLeader', byName: leaderB.username }] });
    expect((await t.request('POST', planRoute(id, 'B', '/approve'), { as: leaderB, body: {} })).status).toBe(403);
    const done = await t.request('POST', planRoute(id, 'B', '/approve'), { as: officer, body: {} });
    expect(done.body).toMatchObject({ state: 'approved', awaiting: null, amending: false });
    expect(done.body.approved.entries.map((e: { studentNo: string }) => e.studentNo)).toEqual([no('B', 20), no('B', 21), no('B', 22)]);

    await receiver.waitFor(3);
    await new Promise((r) => setTimeout(r, 300));
    const events = receiver.received.map((r) => JSON.parse(r.body) as { event: string; data: Record<string, any> }); // eslint-disable-line @typescript-eslint/no-explicit-any
    const mine = events.filter((e) => e.data.id === `${id}:${String(B)}`);
    expect(mine.map((e) => [e.event, e.data.final ?? null, e.data.awaiting?.role ?? null])).toEqual([
      ['visitPlan.submitted', null, 'collegeLeader'],
      ['visitPlan.approved', false, 'studentAffairs'],
      ['visitPlan.approved', true, null],
    ]);
    expect(mine[0]!.data.approvers.map((a: { username: string }) => a.username)).toEqual([leaderB.username]);
    expect(mine[0]!.data).toMatchObject({ collegeCode: 'B', coverage: { enrolled: 250, required: 3, counted: 3 } });
    await receiver.close();
  });

  it('two approvers at once: one approves, the other is answered 409 and nothing is approved twice', async () => {
    const id = await campaign();
    await file(id, 'B', visits('B', 30, 3, counselorB));
    await t.request('POST', planRoute(id, 'B', '/submit'), { as: counselorB });
    await t.request('POST', planRoute(id, 'B', '/approve'), { as: leaderB, body: {} });
    const answers = await Promise.all([officer, officer2].map((as) => t.request('POST', planRoute(id, 'B', '/approve'), { as, body: {} })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const plan = await t.request('GET', planRoute(id, 'B'), { as: officer });
    expect(plan.body.approvals.map((a: { role: string }) => a.role)).toEqual(['collegeLeader', 'studentAffairs']);
    const history = await t.request('GET', planRoute(id, 'B', '/history'), { as: officer });
    expect(history.body.map((h: { action: string; to: string }) => `${h.action}:${h.to}`)).toEqual(['approve:approved', 'approve:submitted', 'submit:submitted', 'save:draft']);
  });

  it('two filings of a new plan at once make one plan; the other filing is answered 409', async () => {
    const id = await campaign();
    const answers = await Promise.all([file(id, 'B', visits('B', 40, 3, counselorB)), file(id, 'B', visits('B', 50, 3, counselorB))]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)!.body.code).toBe('REVISION_CONFLICT');
    expect(await mongoose.connection.collection('visitplans').countDocuments({ campaign: new mongoose.Types.ObjectId(id) })).toBe(1);
  });

  it('a return needs a reason, which the college then sees; the plan can be resubmitted', async () => {
    const id = await campaign();
    await file(id, 'B', visits('B', 60, 3, counselorB));
    await t.request('POST', planRoute(id, 'B', '/submit'), { as: counselorB });
    for (const body of [{}, { reason: '   ' }]) {
      const refused = await t.request('POST', planRoute(id, 'B', '/return'), { as: leaderB, body });
      expect([refused.status, refused.body.details]).toEqual([400, [{ path: 'reason', message: '退回家访计划须填写原因', messageEn: 'a returned plan needs a reason', rule: 'required' }]]);
    }
    const returned = await t.request('POST', planRoute(id, 'B', '/return'), { as: leaderB, body: { reason: '安全预案不够具体，请补充交通安排' } });
    expect(returned.body).toMatchObject({ state: 'returned', lastReturn: { reason: '安全预案不够具体，请补充交通安排', role: 'collegeLeader', byName: leaderB.username }, approvals: [] });
    const seen = await t.request('GET', planRoute(id, 'B'), { as: counselorB });
    expect(seen.body.lastReturn.reason).toBe('安全预案不够具体，请补充交通安排');
    expect((await t.request('POST', planRoute(id, 'B', '/submit'), { as: counselorB })).body).toMatchObject({ state: 'submitted', awaiting: { role: 'collegeLeader' } });
  });

  it('an amendment of an approved plan is approved again while the approved version stays readable', async () => {
    const id = await campaign();
    const filed = await file(id, 'B', visits('B', 70, 3, counselorB));
    await t.request('POST', planRoute(id, 'B', '/submit'), { as: counselorB });
    const approved = await approveFully(id, 'B', leaderB);
    const original = approved.body.approved;
    const [first, second, third] = filed.body.entries as Array<{ id: string; studentNo: string }>;

    // Keep the first visit, change the second to a phone visit, drop the third, add a new one.
    const amended = await t.request('PUT', planRoute(id, 'B'), {
      as: counselorB,
      body: { entries: [{ ...visit(first!.studentNo, counselorB), id: first!.id }, { ...visit(second!.studentNo, counselorB, { mode: 'phone' }), id: second!.id }, visit(no('B', 80), counselorB)] },
    });
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({ state: 'draft', amending: true });
    expect(amended.body.entries.map((e: { id: string; approval: string }) => [e.id === first!.id || e.id === second!.id ? e.id : 'new', e.approval])).toEqual([[first!.id, 'approved'], [second!.id, 'pending'], ['new', 'pending']]);
    expect(amended.body.approved).toEqual(original);
    expect(amended.body.implementation).toEqual({ ...IMPLEMENTATION, other: '' });

    // The print view shows the approved version until the amendment is approved.
    const printed = await t.request('GET', planRoute(id, 'B', '/print'), { as: counselorB });
    expect(printed.headers.get('content-type')).toMatch(/^text\/html/);
    expect(printed.body).toContain(third!.studentNo);
    expect(printed.body).not.toContain(no('B', 80));
    expect(printed.body).toContain('学院领导（签字）');
    expect(printed.body).toContain('盖章');
    const current = await t.request('GET', planRoute(id, 'B', '/print?version=current'), { as: counselorB });
    expect(current.body).toContain(no('B', 80));

    // The PDF carries the same words, read back as a PDF reader reads them.
    const pdf = await fetch(`${t.url}${planRoute(id, 'B', '/print.pdf')}`, { headers: { Cookie: counselorB.cookie! } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^inline; filename=".*\.pdf"; filename\*=UTF-8''/);
    const read = await pdfText(Buffer.from(await pdf.arrayBuffer()));
    const text = read.pages.join('\n');
    expect(read.title).toMatch(/^家访计划申报表 · /);
    expect(text).toContain(third!.studentNo);
    expect(text).not.toContain(no('B', 80));
    expect(text).toContain('学院领导（签字）');
    expect(text).toContain('盖章处');
    expect(text).toContain('校领导家访对象');
    expect(text).toContain(IMPLEMENTATION.safety.slice(0, 8));
    const currentPdf = await fetch(`${t.url}${planRoute(id, 'B', '/print.pdf?version=current')}`, { headers: { Cookie: counselorB.cookie! } });
    expect((await pdfText(Buffer.from(await currentPdf.arrayBuffer()))).pages.join('')).toContain(no('B', 80));

    await t.request('POST', planRoute(id, 'B', '/submit'), { as: counselorB });
    const reapproved = await approveFully(id, 'B', leaderB);
    expect(reapproved.body).toMatchObject({ state: 'approved', amending: false });
    expect(reapproved.body.approved.revision).toBeGreaterThan(original.revision);
    expect(reapproved.body.approved.entries.map((e: { id: string; mode: string }) => [e.id, e.mode])).toEqual([[first!.id, 'onsite'], [second!.id, 'phone'], [reapproved.body.entries[2].id, 'onsite']]);
    expect(reapproved.body.entries.every((e: { approval: string }) => e.approval === 'approved')).toBe(true);
  });

  it('lists plans within the reader’s scope', async () => {
    const id = await campaign();
    await file(id, 'A', visits('A', 200, 2));
    await file(id, 'B', visits('B', 200, 2, counselorB));
    const ids = async (as: Credentials) => (await t.request('GET', `/api/visit-plans?campaign=${id}`, { as })).body.items.map((p: { collegeCode: string }) => p.collegeCode).sort();
    expect(await ids(officer)).toEqual(['A', 'B']);
    expect(await ids(principal)).toEqual(['A', 'B']);
    expect(await ids(leaderA)).toEqual(['A']);
    expect(await ids(teacherA)).toEqual(['A']);
    expect((await t.request('GET', planRoute(id, 'B'), { as: teacherA })).status).toBe(404);
  });
});
