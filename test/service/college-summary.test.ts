import { pdfText } from '../support/pdf-text';
import { seedArchives, seededNumber as no } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { day, planEntry, reportContent, visitFixtures } from '../support/visit-fixtures';

/**
 * 学院总结 (D10, seed 001 §8(一)) over real HTTP on the real database: a draft generated from the records
 * whose figures equal a count made here by hand, edited with If-Match, submitted to student affairs,
 * rendered as PDF; read by those who read all the college's reports.
 */

let t: TestService;
let officer: Credentials;
let leaderA: Credentials;
let counselorA: Credentials;
let teacherA: Credentials;
let counselorB: Credentials;
let principal: Credentials;
let campaign: string;
const route = (tail = '', college = 'A') => `/api/visit-campaigns/${campaign}/colleges/${college}/summary${tail}`;

beforeAll(async () => {
  t = await startTestService();
  const A = await t.college('A');
  const B = await t.college('B');
  officer = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', A, 'leader-a');
  counselorA = await t.staff('counselor', A, 'counselor-liu');
  teacherA = await t.staff('teacher', A);
  counselorB = await t.staff('counselor', B);
  principal = await t.staff('schoolLeader');
  await seedArchives(A, 'A', 350, () => ({ counselor: counselorA.userId }));
  await seedArchives(B, 'B', 5);
  const fixtures = visitFixtures(t, { officer, leader: leaderA, counselor: counselorA });
  campaign = await fixtures.campaign(['A', 'B'], -10, 30);
  const entries = await fixtures.approvedPlan(campaign, 'A', [
    planEntry(no('A', 0), 'onsite', [counselorA]),
    planEntry(no('A', 1), 'phone', [counselorA]),
    planEntry(no('A', 2), 'onsite', [principal, counselorA]),
    planEntry(no('A', 4), 'phone', [counselorA]),
  ]);
  const photos = () => fixtures.photos(4, counselorA);
  const submit = async (id: string) => expect((await t.request('POST', `/api/visit-reports/${id}/submit`, { as: counselorA })).status).toBe(200);
  const first = await fixtures.draft(campaign, 'A', entries.get(no('A', 0))!.id, { ...reportContent(day(-2)), reflections: '走进学生家中，才真正理解了他的沉默。', followUp: { needed: true, needs: '开学后安排高数辅导' }, photos: await photos() });
  await submit(first.id);
  await submit((await fixtures.draft(campaign, 'A', entries.get(no('A', 1))!.id, { ...reportContent(day(-2)), reflections: '电话那头的父亲很朴实。', photos: await fixtures.photos(2, counselorA) })).id);
  await submit((await fixtures.draft(campaign, 'A', entries.get(no('A', 2))!.id, { ...reportContent(day(-1)), photos: await photos() })).id);
  // An unplanned video visit with a follow-up need.
  const unplanned = await t.request('POST', '/api/visit-reports', { as: counselorA, body: { campaign, student: no('A', 3), reason: '学生主动联系', mode: 'video' } });
  expect(unplanned.status).toBe(201);
  expect((await t.request('PATCH', `/api/visit-reports/${unplanned.body.id}`, { as: counselorA, body: { ...reportContent(day(-1)), followUp: { needed: true, needs: '申请临时困难补助' }, photos: await fixtures.photos(2, counselorA) } })).status).toBe(200);
  await submit(unplanned.body.id);
  // A draft is not a visit made yet.
  await fixtures.draft(campaign, 'A', entries.get(no('A', 4))!.id, { place: '学生家中' });
  expect((await t.request('POST', '/api/typical-cases', { as: counselorA, body: { student: no('A', 0), reports: [first.id], title: '从沉默到自信' } })).status).toBe(201);
}, 180_000);
afterAll(async () => {
  await t.stop();
});

describe('the college summary (学院总结, D10)', () => {
  it('D10: the generated draft’s figures equal a count by hand; problems from follow-up needs, the typical cases, reflections attributed', async () => {
    const draft = await t.request('GET', route(), { as: counselorA });
    expect(draft.status).toBe(200);
    expect(draft.headers.get('etag')).toBe('"0"');
    expect(draft.body).toMatchObject({ generated: true, revision: 0, state: 'draft' });
    // By hand: four submitted reports (on-site A0 and A2, phone A1, video A3 unplanned), four students;
    // 350 students × 1% → at least 4; the principal visited A2; A0 and A3 need a follow-up.
    expect(draft.body.figures).toEqual({
      reports: 4,
      byMode: { onsite: 2, video: 1, phone: 1 },
      studentsVisited: 4,
      coverage: { enrolled: 350, percent: '1%', required: 4, counted: 4, met: true, leaderVisitsCount: true },
      leaderVisits: 1,
      unplanned: 1,
      followUps: 2,
      truncated: false,
    });
    const s = draft.body.sections;
    expect(s.overview).toContain('共提交家访报告 4 份');
    expect(s.overview).toContain('走访学生 4 人');
    expect(s.problems).toContain(`${no('A', 0)}）：开学后安排高数辅导`);
    expect(s.problems).toContain(`${no('A', 3)}）：申请临时困难补助`);
    expect(s.problems.split('\n').filter((l: string) => /^\d+\. /.test(l))).toHaveLength(2);
    expect(s.cases).toContain('从沉默到自信');
    expect(s.reflections).toContain('“走进学生家中，才真正理解了他的沉默。” —— counselor-liu');
    expect(s.reflections).toContain('“电话那头的父亲很朴实。” —— counselor-liu');
  });

  it('D10: the college edits the draft (If-Match; one of two parallel saves lands), submits it, and it is then no longer edited', async () => {
    const first = await t.request('PUT', route(), { as: counselorA, body: { sections: { problems: '1. 高数薄弱：已安排学业导师一对一辅导。' } }, headers: { 'If-Match': '"0"' } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ generated: false, revision: 1, sections: { problems: '1. 高数薄弱：已安排学业导师一对一辅导。' } });
    // Sections left out keep the generated text.
    expect(first.body.sections.cases).toContain('从沉默到自信');

    const racing = await Promise.all(['甲', '乙'].map((who) => t.request('PUT', route(), { as: who === '甲' ? counselorA : leaderA, body: { sections: { overview: `${who}修改的概述` } }, headers: { 'If-Match': '"1"' } })));
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);
    const stored = await t.request('GET', route(), { as: officer });
    expect(stored.body.revision).toBe(2);
    expect(stored.body.sections.overview).toBe(racing.find((r) => r.status === 200)!.body.sections.overview);

    expect((await t.request('POST', route('/submit'), { as: leaderA, headers: { 'If-Match': '"1"' } })).status).toBe(409);
    const submitted = await t.request('POST', route('/submit'), { as: leaderA, headers: { 'If-Match': '"2"' } });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ state: 'submitted', stateZh: '已提交学工部', revision: 3, submittedBy: 'leader-a' });
    expect(submitted.body.figures.reports).toBe(4);
    const late = await t.request('PUT', route(), { as: counselorA, body: { sections: { overview: '再改' } }, headers: { 'If-Match': '"3"' } });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('SUMMARY_SUBMITTED');

    const pdf = await fetch(`${t.url}${route('.pdf')}`, { headers: { Cookie: officer.cookie! } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = (await pdfText(Buffer.from(await pdf.arrayBuffer()))).pages.join('\n').replace(/\s+/g, '');
    for (const expected of ['A学院家访工作总结', '已提交学工部', '遇到的问题及解决方法', '高数薄弱：已安排学业导师一对一辅导。', '从沉默到自信', '提交家访报告4份']) expect(text).toContain(expected);
  });

  it('D10: a summary is saved only after its draft was seen and submitted only once saved', async () => {
    const unsaved = await t.request('POST', route('/submit', 'B'), { as: officer });
    expect(unsaved.status).toBe(403); // student affairs receives summaries, it does not write them
    const counselorSubmit = await t.request('POST', route('/submit', 'B'), { as: counselorB });
    expect(counselorSubmit.status).toBe(409);
    expect(counselorSubmit.body.code).toBe('SUMMARY_NOT_SAVED');
  });

  it('D10: read by those who read all the college’s reports: another college 404, a teacher 403, student affairs and school leaders read', async () => {
    expect((await t.request('GET', route(), { as: counselorB })).status).toBe(404);
    expect((await t.request('PUT', route(), { as: counselorB, body: { sections: { overview: 'x' } } })).status).toBe(404);
    expect((await t.request('GET', route(), { as: teacherA })).status).toBe(403);
    expect((await t.request('GET', route(), { as: principal })).status).toBe(200);
    expect((await t.request('PUT', route('', 'B'), { as: officer, body: { sections: { overview: 'x' } } })).status).toBe(403);
  });
});
