import mongoose, { type Types } from 'mongoose';
import { directoryInStep, directoryMayBeBehind } from '../../server/students/directory/student-directory';
import { StudentModel } from '../../server/students/student.model';
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
let B: Types.ObjectId;
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
  B = await t.college('EB');
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

describe('a student list counts its total from the kept enrolment groups', () => {
  /** The list's total (Content-Range) against a count straight in the database; how many counts the service made for it. */
  async function expectTotal(as: Credentials, query: string, filter: Record<string, unknown>): Promise<number> {
    const counts = jest.spyOn(StudentModel, 'countDocuments');
    try {
      const listed = await t.request('GET', `/api/students?limit=1&${query}`, { as });
      expect(listed.status).toBe(200);
      const total = Number(String(listed.headers.get('content-range')).split('/')[1]);
      expect({ query, total }).toEqual({ query, total: await mongoose.connection.collection('students').countDocuments(filter) });
      return counts.mock.calls.length;
    } finally {
      counts.mockRestore();
    }
  }

  /** Lists by college, counselor, grade and major take no count in the database; a search and a care tier do. */
  async function expectAllTotals(other: Credentials): Promise<void> {
    const grouped = [
      await expectTotal(officer, '', {}),
      await expectTotal(officer, 'college=EA', { college: A }),
      await expectTotal(officer, 'college=EB', { college: B }),
      await expectTotal(officer, 'college=EA&grade=2025&major=会计', { college: A, grade: '2025', major: '会计' }),
      await expectTotal(officer, `counselor=${other.username}`, { counselor: other.userId }),
      await expectTotal(counselor, '', { college: A }),
    ];
    expect(grouped).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await expectTotal(officer, 'careTier=general', { careTier: 'general' })).toBe(1);
    expect(await expectTotal(officer, 'q=2025EA9', { studentNo: /^2025EA9/ })).toBe(1);
  }

  it('follows students added, moved between colleges and given another counselor, at once', async () => {
    const other = await t.staff('counselor', A, 'enrol.other');
    await expectAllTotals(other);
    expect((await t.request('POST', '/api/students', { as: counselor, body: archive('2025EA9101') })).status).toBe(201);
    await expectAllTotals(other);
    const found = await t.request('GET', '/api/students?q=2025EA9101', { as: counselor });
    const id = found.body.items[0].id as string;
    expect((await t.request('PATCH', `/api/students/${id}`, { as: officer, body: { counselor: other.username } })).status).toBe(200);
    await expectAllTotals(other);
    expect((await t.request('PATCH', `/api/students/${id}`, { as: officer, body: { college: 'EB' } })).status).toBe(200);
    await expectAllTotals(other);
  });

  it('counts in the database while the directory may be behind a failed write, and from the groups again after a pass', async () => {
    // As after a write that failed part-way: an archive written straight to the database, its entry not.
    await mongoose.connection.collection('students').insertOne({ ...archive('2025EA9201'), college: A, counselor: null, revision: 1 });
    directoryMayBeBehind();
    expect(await expectTotal(officer, 'college=EA', { college: A })).toBe(1);
    const deadline = Date.now() + 30_000;
    while (!directoryInStep() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(directoryInStep()).toBe(true);
    expect(await expectTotal(officer, 'college=EA', { college: A })).toBe(0);
  });
});
