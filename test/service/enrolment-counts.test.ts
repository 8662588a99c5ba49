import type { Types } from 'mongoose';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { openCampaign } from '../support/visit-campaign';

/**
 * Coverage is measured against enrolment counts that the service keeps for a minute (an aggregation over
 * the whole archive costs seconds on the embedded engine at 40,000 students). A student added, moved or
 * removed through the service changes the figures at once; a contact logged does not recount.
 */

let t: TestService;
let A: Types.ObjectId;
let counselor: Credentials;
let officer: Credentials;
let campaignId: string;
const route = () => `/api/visit-campaigns/${campaignId}/plans/EA`;

const archive = (studentNo: string, college = 'EA') => ({
  studentNo, name: '新生', gender: 'female', birthDate: '2007-01-01', college, major: '会计', grade: '2025', className: '会计1班',
  counselor: counselor.username, guardians: [{ name: '家长', relation: '母亲', phone: '13800138003' }], homeAddress: '某地', careTier: 'general',
});

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('EA');
  await t.college('EB');
  counselor = await t.staff('counselor', A, 'enrol.counselor');
  officer = await t.staff('studentAffairs', undefined, 'enrol.office');
  await seedArchives(A, 'EA', 300);
  campaignId = await openCampaign(t, officer, ['EA']);
  const filed = await t.request('PUT', route(), { as: counselor, body: { entries: [{ student: seededNumber('EA', 0), mode: 'phone', kind: 'general', visitors: [{ user: counselor.username }] }] } });
  expect(filed.status).toBe(201);
}, 60_000);
afterAll(async () => {
  await t.stop();
});

const coverage = async () => (await t.request('GET', route(), { as: counselor })).body.coverage;

it('a student added through the service counts at once: 300 → 301 students needs ⌈1%⌉ = 4 visits', async () => {
  expect(await coverage()).toMatchObject({ enrolled: 300, required: 3 });
  expect((await t.request('POST', '/api/students', { as: counselor, body: archive('2025EA9001') })).status).toBe(201);
  expect(await coverage()).toMatchObject({ enrolled: 301, required: 4 });
});

it('a student moved to another college leaves the count at once', async () => {
  const found = await t.request('GET', '/api/students?q=2025EA9001', { as: counselor });
  const moved = await t.request('PATCH', `/api/students/${found.body.items[0].id}`, { as: officer, body: { college: 'EB' } });
  expect(moved.status).toBe(200);
  expect(await coverage()).toMatchObject({ enrolled: 300, required: 3 });
});

it('a plan naming students by number resolves them, and a wrong number is still refused by name', async () => {
  const entries = [1, 2, 3].map((i) => ({ student: seededNumber('EA', i), mode: 'phone', kind: 'general', visitors: [{ user: counselor.username }] }));
  const saved = await t.request('PUT', route(), { as: counselor, body: { entries } });
  expect(saved.status).toBe(200);
  expect(saved.body.entries.map((e: { studentNo: string }) => e.studentNo)).toEqual(entries.map((e) => e.student));
  const wrong = await t.request('PUT', route(), { as: counselor, body: { entries: [{ ...entries[0], student: '2099NO0000' }] } });
  expect(wrong.status).toBe(400);
  expect(JSON.stringify(wrong.body.details)).toContain('2099NO0000');
});
