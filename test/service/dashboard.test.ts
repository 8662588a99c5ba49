import ExcelJS from 'exceljs';
import mongoose, { type Types } from 'mongoose';
import { academicYearOf } from '../../server/calendar/academic-calendar';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { openCampaign } from '../support/visit-campaign';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * F1 dashboards over real HTTP on the real database: every figure equals a count taken from the records
 * in this test (an independent query per figure), cut to what each role may see; the export carries the
 * same numbers; a recomputation asked twice at once runs once.
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let counselorA1: Credentials;
let counselorA2: Credentials;
let counselorB: Credentials;
let leaderA: Credentials;
let officer: Credentials;
let principal: Credentials;

const DAY = 86_400_000;
const YEAR = academicYearOf(new Date());
const students = () => mongoose.connection.collection('students');
const INTERVAL = { special: 7, key: 30, general: 90 };

/** A: 120 students of two counselors (tiers, confirmations and contacts varied), B: 40 of one. */
async function seed(): Promise<void> {
  const now = Date.now();
  const vary = (counselor: Types.ObjectId) => (i: number) => ({
    counselor,
    careTier: ['special', 'key', 'general'][i % 3],
    lastConfirmedYear: i % 4 === 0 ? YEAR : undefined,
    ...(i % 5 === 0 ? {} : { lastContactAt: new Date(now - (i % 7) * 9 * DAY) }),
  });
  await seedArchives(A, 'DA', 70, vary(counselorA1.userId));
  await seedArchives(A, 'DB', 50, vary(counselorA2.userId));
  await seedArchives(B, 'DC', 40, vary(counselorB.userId));
}

/** The figures of some students, counted from the records by the test itself. */
async function expectedFor(filter: Record<string, unknown>) {
  const count = (extra: Record<string, unknown>) => students().countDocuments({ ...filter, ...extra });
  const overdueOf = (tier: keyof typeof INTERVAL) => count({ careTier: tier, $or: [{ lastContactAt: null }, { lastContactAt: { $lt: new Date(Date.now() - INTERVAL[tier] * DAY) } }] });
  const [all, confirmed, special, key, general] = await Promise.all([count({}), count({ lastConfirmedYear: YEAR }), overdueOf('special'), overdueOf('key'), overdueOf('general')]);
  return { students: all, stale: all - confirmed, overdue: special + key + general, overdueByTier: { special, key, general } };
}

beforeAll(async () => {
  t = await startTestService({ HSB_CONTACT_DAYS_SPECIAL: '7', HSB_CONTACT_DAYS_KEY: '30', HSB_CONTACT_DAYS_GENERAL: '90' });
  A = await t.college('DA', '机电学院');
  B = await t.college('DB', '文学院');
  counselorA1 = await t.staff('counselor', A, 'dash.a1');
  counselorA2 = await t.staff('counselor', A, 'dash.a2');
  counselorB = await t.staff('counselor', B, 'dash.b');
  leaderA = await t.staff('collegeLeader', A, 'dash.leader');
  officer = await t.staff('studentAffairs', undefined, 'dash.office');
  principal = await t.staff('schoolLeader', undefined, 'dash.principal');
  await seed();
  for (const [who, no, category] of [[counselorA1, seededNumber('DA', 1), 'academic'], [counselorA1, seededNumber('DA', 2), 'emergency'], [counselorA2, seededNumber('DB', 3), 'academic'], [counselorB, seededNumber('DC', 4), 'other']] as const) {
    expect((await t.request('POST', '/api/cases', { as: who, body: { student: no, category, description: '情况说明' } })).status).toBe(201);
  }
  const award = await t.request('POST', '/api/awards', { as: counselorA1, body: { student: seededNumber('DA', 5), kind: 'award', title: '全国大学生数学建模竞赛一等奖', level: 'national', category: 'competition', date: new Date().toISOString().slice(0, 10) } });
  expect(award.status).toBe(201);
  expect(award.body.goodNews).toBe(true);
  expect((await t.request('POST', `/api/awards/${award.body.id}/letter/deliveries`, { as: counselorA1, body: { channel: 'post' } })).status).toBe(201);
  expect((await t.request('POST', '/api/dashboard/refresh', { as: officer })).status).toBe(200);
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('figures equal the records', () => {
  it('a college leader sees their college, and a row per counselor that adds up to it', async () => {
    const view = await t.request('GET', '/api/dashboard', { as: leaderA });
    expect(view.status).toBe(200);
    expect(view.headers.get('server-timing')).toMatch(/^app;dur=\d+(\.\d+)?$/);
    expect(view.body.scope).toMatchObject({ level: 'college', college: { code: 'DA' } });
    expect(view.body.figures).toMatchObject(await expectedFor({ college: A }));
    expect(view.body.figures).toMatchObject({ casesOpen: 3, goodNews: 1, goodNewsDelivered: 1 });
    const rows = view.body.breakdown as Array<{ code: string; students: number; overdue: number; casesOpen: number }>;
    expect(rows.map((r) => r.code).sort()).toEqual(['dash.a1', 'dash.a2']);
    expect(rows.find((r) => r.code === 'dash.a1')).toMatchObject({ ...(await expectedFor({ counselor: counselorA1.userId })), casesOpen: 2 });
    expect(rows.reduce((s, r) => s + r.students, 0)).toBe(view.body.figures.students);
    // The lists behind the tiles, narrowed the same way, hold as many records as the tiles say.
    const since = new Date(view.body.yearStart).toISOString();
    const letters = await t.request('GET', `/api/awards?goodNews=true&college=${A}&since=${since}`, { as: leaderA });
    expect(letters.body.total).toBe(view.body.figures.goodNews);
    expect((await t.request('GET', `/api/awards?goodNews=true&college=${B}`, { as: leaderA })).body.total).toBe(0);
    const open = await t.request('GET', `/api/cases?status=open&college=${A}&limit=200`, { as: leaderA });
    expect(open.body.total).toBe(view.body.figures.casesOpen);
    const overdue = await t.request('GET', `/api/contacts/overdue?college=${A}&tier=special`, { as: leaderA });
    expect(overdue.body.total).toBe(view.body.figures.overdueByTier.special);
    const academic = view.body.casesByCategory.find((c: { category: string }) => c.category === 'academic');
    expect(academic.ages['0-3']).toBe(2);
  });

  it('student affairs sees the school and each college; a school leader too', async () => {
    const school = await t.request('GET', '/api/dashboard', { as: officer });
    expect(school.body.scope.level).toBe('school');
    expect(school.body.figures).toMatchObject({ ...(await expectedFor({})), casesOpen: 4 });
    expect(school.body.breakdown.map((r: { code: string }) => r.code).sort()).toEqual(['DA', 'DB']);
    const b = await t.request('GET', '/api/dashboard?college=DB', { as: principal });
    expect(b.body.figures).toMatchObject(await expectedFor({ college: B }));
    const one = await t.request('GET', '/api/dashboard?counselor=dash.a2', { as: officer });
    expect(one.body.scope).toMatchObject({ level: 'counselor', counselor: { username: 'dash.a2' }, college: { code: 'DA' } });
    expect(one.body.figures).toMatchObject(await expectedFor({ counselor: counselorA2.userId }));
  });

  it('a counselor sees only their own students, and cannot ask for a colleague or another college', async () => {
    const own = await t.request('GET', '/api/dashboard', { as: counselorA2 });
    expect(own.body.scope).toMatchObject({ level: 'counselor', counselor: { username: 'dash.a2' } });
    expect(own.body.figures).toMatchObject({ ...(await expectedFor({ counselor: counselorA2.userId })), casesOpen: 1 });
    expect(own.body.breakdown).toEqual([]);
    expect((await t.request('GET', '/api/dashboard?counselor=dash.a1', { as: counselorA2 })).status).toBe(404);
    expect((await t.request('GET', '/api/dashboard?college=DB', { as: leaderA })).status).toBe(404);
    expect((await t.request('GET', '/api/dashboard?counselor=dash.b', { as: leaderA })).status).toBe(404);
    expect((await t.request('GET', '/api/dashboard?college=NOPE', { as: officer })).status).toBe(404);
  });

  it('shows a change once the figures are recomputed, with the time they were computed', async () => {
    const before = await t.request('GET', '/api/dashboard', { as: leaderA });
    const no = seededNumber('DA', 10);
    const contact = await t.request('POST', '/api/contacts', { as: counselorA1, body: { student: no, guardianName: '家长', channel: 'phone', topics: ['grades'], summary: '电话沟通', parentFeedback: '家长知悉' } });
    expect(contact.status).toBe(201);
    await t.request('POST', '/api/dashboard/refresh', { as: officer });
    const after = await t.request('GET', '/api/dashboard', { as: leaderA });
    expect(new Date(after.body.computedAt).getTime()).toBeGreaterThan(new Date(before.body.computedAt).getTime());
    expect(after.body.figures).toMatchObject(await expectedFor({ college: A }));
  });
});

describe('visit coverage', () => {
  it('shows each open campaign: distinct students planned against ⌈1% × enrolled⌉, from the plans', async () => {
    const created = { body: { id: await openCampaign(t, officer, ['DA', 'DB'], { title: '寒假家访' }) } };
    const entries = [1, 2, 2].map((i) => ({ student: seededNumber('DA', i), mode: 'phone', kind: 'general', visitors: [{ user: 'dash.a1' }] }));
    expect((await t.request('PUT', `/api/visit-campaigns/${created.body.id}/plans/DA`, { as: counselorA1, body: { entries } })).status).toBe(400); // a student twice
    expect((await t.request('PUT', `/api/visit-campaigns/${created.body.id}/plans/DA`, { as: counselorA1, body: { entries: entries.slice(0, 2) } })).status).toBe(201);
    await t.request('POST', '/api/dashboard/refresh', { as: officer });
    const college = (await t.request('GET', '/api/dashboard', { as: leaderA })).body.coverage;
    expect(college).toEqual([{ campaign: created.body.id, title: '寒假家访', enrolled: 120, required: 2, planned: 2, colleges: 1, approved: 0 }]);
    const school = (await t.request('GET', '/api/dashboard', { as: officer })).body.coverage;
    expect(school).toEqual([{ campaign: created.body.id, title: '寒假家访', enrolled: 160, required: 2 + 1, planned: 2, colleges: 2, approved: 0 }]);
  });
});

describe('recomputation and export', () => {
  it('two recomputations asked at once run one computation', async () => {
    const before = (await t.request('GET', '/api/dashboard', { as: officer })).body.computedAt;
    const [first, second] = await Promise.all([t.request('POST', '/api/dashboard/refresh', { as: officer }), t.request('POST', '/api/dashboard/refresh', { as: officer })]);
    expect(first.status).toBe(200);
    expect(second.body.computedAt).toBe(first.body.computedAt);
    expect(first.body.computedAt).not.toBe(before);
  });

  it('only roles that see the audit trail may ask for a recomputation; teachers have no dashboard', async () => {
    expect((await t.request('POST', '/api/dashboard/refresh', { as: leaderA })).status).toBe(403);
    const teacher = await t.staff('teacher', A, 'dash.teacher');
    expect((await t.request('GET', '/api/dashboard', { as: teacher })).status).toBe(403);
  });

  it('exports the college’s dashboard as a spreadsheet whose cells hold the same numbers', async () => {
    const view = (await t.request('GET', '/api/dashboard', { as: leaderA })).body;
    const response = await fetch(`${t.url}/api/dashboard.xlsx`, { headers: { Cookie: leaderA.cookie! } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('概览')!;
    expect(summary.getRow(1).values).toEqual([undefined, '范围', '学生数', '本学年未确认档案', '逾期未联系（合计）', '逾期未联系·特殊', '逾期未联系·重点', '逾期未联系·一般', '未结重点沟通个案', '其中逾期', '喜报（本学年）', '喜报已送达']);
    expect(summary.getRow(2).values).toEqual([undefined, '机电学院', view.figures.students, view.figures.stale, view.figures.overdue, view.figures.overdueByTier.special, view.figures.overdueByTier.key, view.figures.overdueByTier.general, view.figures.casesOpen, view.figures.casesOverdue, 1, 1]);
    const counselors = workbook.getWorksheet('各辅导员')!;
    const names = [2, 3].map((r) => counselors.getRow(r).getCell(1).value).sort();
    expect(names).toEqual(['dash.a1', 'dash.a2']);
  });
});

describe('periodic recomputation', () => {
  it('computes once per period however many processes tick, and later periods compute again', async () => {
    // Three service processes' refreshers on the same database (the figures' sources other than the archive stubbed).
    const { DashboardRefresher } = await import('../../server/dashboards/dashboard-refresher');
    const { DashboardRefreshClaimModel } = await import('../../server/dashboards/dashboard-snapshot.model');
    const students = { currentYear: () => YEAR, calendar: t.config.calendar } as never;
    const plans = { coverageFigures: async () => [] } as never;
    const replicas = [1, 2, 3].map(() => new DashboardRefresher(students, plans, { contactIntervalDays: INTERVAL, dashboardRefreshMs: 60_000 }));
    const at = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 1_000);
    const turns = await Promise.all(replicas.map((r) => r.tick(at)));
    expect(turns.filter(Boolean)).toHaveLength(1);
    expect(replicas.reduce((n, r) => n + r.computations, 0)).toBe(1);
    const next = await Promise.all(replicas.map((r) => r.tick(new Date(at.getTime() + 60_000))));
    expect(next.filter(Boolean)).toHaveLength(1);
    expect(await DashboardRefreshClaimModel.countDocuments({})).toBeLessThanOrEqual(2);
  });
});
