import type { Types } from 'mongoose';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { openCampaign } from '../support/visit-campaign';
import { seedArchives } from '../support/seed-archives';

/**
 * The visit-application form (附件1, issue #12 item 5) files the college's plan through the plans service:
 * the coverage refusal comes back on the data grid with the exact numbers, a duplicate student and a
 * student of another college on their rows, and a refused filing leaves neither a plan nor a submission.
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let officer: Credentials;
let counselorA: Credentials;
let leaderA: Credentials;
let principal: Credentials;
let campaignId: string;

const YEAR = new Date().getFullYear() + 1;
const IMPLEMENTATION = { organization: '学院党委统一部署，辅导员分片负责', schedule: '1月15日至2月20日分批开展', safety: '出行前报备行程，结伴出行，保持通讯畅通', other: '' };
const no = (prefix: string, i: number) => `${prefix}${String(i).padStart(5, '0')}`;

const seedStudents = (college: Types.ObjectId, prefix: string, count: number) =>
  seedArchives(college, prefix, count, (i) => ({ major: '软件技术', grade: String(2022 + (i % 4)), className: '软件1班' }));

/** One data-grid row as the renderer sends it. */
function row(studentNo: string, extra: Record<string, unknown> = {}) {
  return { entryId: '', student: studentNo, targetType: 'current', mode: 'video', kind: 'general', visitors: [counselorA.username], plannedOn: `${YEAR}-01-20T00:00:00+08:00`, leaderVisit: false, note: '', ...extra };
}

function rows(count: number, from = 0) {
  return Array.from({ length: count }, (_, i) => row(no('A', from + i)));
}

function submit(entries: unknown[], state: 'submitted' | 'draft' = 'submitted', as: Credentials = counselorA) {
  return t.request('POST', '/form/visitApplication/submission', { as, body: { state, data: { campaign: campaignId, college: 'A', implementation: IMPLEMENTATION, entries, saveDraft: state === 'draft', submit: state === 'submitted' } } });
}

const plan = () => t.request('GET', `/api/visit-campaigns/${campaignId}/plans/A`, { as: counselorA });
const stored = async () => (await t.request('GET', '/form/visitApplication/submission', { as: counselorA })).body as unknown[];

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A');
  B = await t.college('B');
  officer = await t.staff('studentAffairs');
  counselorA = await t.staff('counselor', A);
  leaderA = await t.staff('collegeLeader', A);
  principal = await t.staff('schoolLeader');
  // 2,600 students: ⌈2,600 × 1%⌉ = 26, so 25 planned visits are one short.
  await seedStudents(A, 'A', 2600);
  await seedStudents(B, 'B', 10);
  campaignId = await openCampaign(t, officer, ['A', 'B']);
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('visit-application form → college plan', () => {
  it('refuses 25 visits where 26 are required, on the data grid with the exact numbers, and stores nothing', async () => {
    const refused = await submit(rows(25));
    expect(refused.status).toBe(400);
    expect(refused.body.name).toBe('ValidationError');
    expect(refused.body.details).toEqual([
      expect.objectContaining({ path: 'entries', message: '需至少 26 人（2,600 × 1%），当前 25 人', rule: 'coverage', context: expect.objectContaining({ path: 'entries', key: 'entries' }) }),
    ]);
    expect(refused.body).not.toHaveProperty('message');
    expect((await plan()).status).toBe(404);
    expect(await stored()).toEqual([]);
  });

  it('puts a duplicate student and a student of another college on their rows', async () => {
    const entries = rows(26);
    entries[3] = row(no('A', 0));
    entries[7] = row(no('B', 1));
    const refused = await submit(entries);
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'entries[3].student', message: `学生 ${no('A', 0)}（学生A0）已在第 1 行，每名学生只能计划一次`, rule: 'duplicate', context: expect.objectContaining({ key: 'student', path: 'entries[3].student' }) }),
        expect.objectContaining({ path: 'entries[7].student', message: `学生 ${no('B', 1)}（学生B1）不属于本学院`, rule: 'college' }),
      ]),
    );
    expect((await plan()).status).toBe(404);
  });

  it('names an unknown visitor on the row’s visitors, and an unknown school leader on its leader select', async () => {
    const entries = rows(26);
    entries[2] = row(no('A', 2), { visitors: ['nobody-here'] });
    entries[5] = row(no('A', 5), { leaderVisit: true, leader: 'no-such-leader' });
    entries[6] = row(no('A', 6), { leader: 'ignored-without-the-flag' });
    const refused = await submit(entries);
    expect(refused.status).toBe(400);
    expect(refused.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['entries[2].visitors', 'entries[5].leader']);
    const noLeader = await submit([row(no('A', 1), { leaderVisit: true, leader: '' })]);
    expect(noLeader.body.details).toEqual([expect.objectContaining({ path: 'entries[0].leader', message: '校领导家访须选择校领导' })]);
  });

  it('saves a draft with “保存草稿” (coverage not checked yet), then submits 26 visits for approval', async () => {
    const draft = await submit(rows(25), 'draft');
    expect(draft.status).toBe(201);
    expect(draft.body.metadata.linked).toEqual({ type: 'visitPlan', id: `${campaignId}:${String(A)}` });
    const saved = (await plan()).body;
    expect(saved).toMatchObject({ state: 'draft', coverage: { required: 26, counted: 25, met: false } });
    expect(saved.entries[0]).toMatchObject({ studentNo: no('A', 0), mode: 'video', kind: 'general', plannedOn: `${YEAR}-01-20`, visitors: [{ name: counselorA.username, role: 'counselor' }] });

    // The refused submission leaves the draft as it was.
    expect((await submit(rows(25))).body.details[0].message).toBe('需至少 26 人（2,600 × 1%），当前 25 人');
    expect((await plan()).body.revision).toBe(saved.revision);

    // Keeping the entry ids keeps the entries; a school-leader visit is shown apart.
    const entries = [...saved.entries.map((e: { id: string; studentNo: string }) => row(e.studentNo, { entryId: e.id })), row(no('A', 25), { leaderVisit: true, leader: principal.username })];
    const filed = await submit(entries);
    expect(filed.status).toBe(201);
    const submitted = (await plan()).body;
    expect(submitted).toMatchObject({ state: 'submitted', coverage: { required: 26, counted: 26, met: true, leaderVisits: { students: 1 } } });
    expect(submitted.entries.slice(0, 25).map((e: { id: string }) => e.id)).toEqual(saved.entries.map((e: { id: string }) => e.id));
    expect(submitted.leaderVisits).toEqual([expect.objectContaining({ studentNo: no('A', 25), visitors: expect.arrayContaining([expect.objectContaining({ role: 'schoolLeader' })]) })]);
  });

  it('refuses a filing while the plan awaits approval, as a message the form shows', async () => {
    const refused = await submit(rows(26));
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'campaign', message: expect.stringContaining('家访计划正在审批中'), rule: 'PLAN_STATE' })]);
    expect((await t.request('POST', `/api/visit-campaigns/${campaignId}/plans/A/approve`, { as: leaderA, body: {} })).status).toBe(200);
  });

  it('lets the college name only its own staff and the school-wide staff in the pickers', async () => {
    const own = await t.request('GET', '/api/staff?college=A&limit=100', { as: counselorA });
    expect(own.status).toBe(200);
    expect(own.body.items.map((s: { username: string }) => s.username).sort()).toEqual([counselorA.username, leaderA.username].sort());
    expect((await t.request('GET', '/api/staff?college=B', { as: counselorA })).body.items).toEqual([]);
    const leaders = await t.request('GET', '/api/staff?role=schoolLeader', { as: counselorA });
    expect(leaders.body.items).toEqual([expect.objectContaining({ username: principal.username, roleZh: '校领导' })]);
    const students = await t.request('GET', `/api/students?college=A&q=${no('A', 259)}&limit=20&skip=0`, { as: counselorA });
    expect(students.body.items.map((s: { studentNo: string }) => s.studentNo)).toEqual([no('A', 259)]);
    expect((await t.request('GET', '/api/students?college=B&limit=20', { as: counselorA })).body.items).toEqual([]);
  });
});
