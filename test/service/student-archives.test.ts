import mongoose from 'mongoose';
import { AuditEntryModel } from '../../server/audit/audit-entry.model';
import { academicYearOf } from '../../server/calendar/academic-calendar';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let counselorA: Credentials;
let counselorB: Credentials;
let teacherA: Credentials;
let officer: Credentials;

const year = academicYearOf(new Date());
const nextYear = `${Number(year.slice(0, 4)) + 1}-${Number(year.slice(0, 4)) + 2}`;
const lastYear = `${Number(year.slice(0, 4)) - 1}-${year.slice(0, 4)}`;

function archive(no: string, extra: Record<string, unknown> = {}) {
  return {
    studentNo: no, name: '张伟', gender: '男', birthDate: '2006-03-01', college: 'A', major: '数控技术', grade: '2024', className: '数控1班',
    counselor: counselorA.username, guardians: [{ name: '张军', relation: '父亲', phone: '13800138000' }], homeAddress: '山东省某市某区 1 号', ...extra,
  };
}

beforeAll(async () => {
  t = await startTestService();
  const a = await t.college('A');
  const b = await t.college('B');
  counselorA = await t.staff('counselor', a);
  counselorB = await t.staff('counselor', b);
  teacherA = await t.staff('teacher', a);
  officer = await t.staff('studentAffairs');
});
afterAll(async () => {
  await t.stop();
});

describe('A1 basic archive', () => {
  it('creates an archive with guardians, derives the age, and records college and counselor', async () => {
    const created = await t.request('POST', '/api/students', { as: counselorA, body: archive('2024A0001') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ studentNo: '2024A0001', gender: 'male', grade: '2024', guardians: [{ name: '张军', relation: '父亲', phone: '13800138000' }] });
    expect(created.body.age).toBeGreaterThanOrEqual(18);
    expect(created.body.college).toBe(String(await t.college('A')));
    expect(created.body.counselor).toBe(String(counselorA.userId));
  });

  it('names every bad field in Chinese and English and saves nothing', async () => {
    const response = await t.request('POST', '/api/students', {
      as: counselorA,
      body: { ...archive('x'), name: '', gender: '未知', birthDate: '2006-13-45', guardians: [{ name: '张军', relation: '父亲', phone: '12345' }] },
    });
    expect(response.status).toBe(400);
    const byPath = Object.fromEntries(response.body.details.map((d: { path: string; message: string }) => [d.path, d.message]));
    expect(byPath).toMatchObject({
      studentNo: '学号只能包含字母和数字（4–20 位）',
      name: '姓名为必填项',
      gender: '性别应为“男”或“女”',
      birthDate: '出生日期不是有效日期（如 2006-03-01）',
      'guardians[0].phone': expect.stringContaining('11 位手机号'),
    });
    expect(await mongoose.connection.collection('students').countDocuments({ studentNo: 'x' })).toBe(0);
  });

  it('refuses a duplicate student number', async () => {
    await t.request('POST', '/api/students', { as: counselorA, body: archive('2024A0002') });
    const again = await t.request('POST', '/api/students', { as: counselorA, body: archive('2024A0002') });
    expect(again.status).toBe(400);
    expect(again.body.details[0]).toMatchObject({ path: 'studentNo', rule: 'unique' });
  });
});

describe('A2 special-student archive', () => {
  it('keeps categories, a support plan and assistance records', async () => {
    const created = await t.request('POST', '/api/students', {
      as: counselorA,
      body: archive('2024A0003', { careTier: '特殊', specialCategories: '家庭经济困难、慢性病', supportPlan: '每月谈心一次' }),
    });
    expect(created.body).toMatchObject({ careTier: 'special', specialCategories: ['financialHardship', 'chronicIllness'], supportPlan: '每月谈心一次' });
    const aid = await t.request('POST', `/api/students/${created.body.id}/assistance`, { as: counselorA, body: { date: '2026-10-10', kind: '助学金', description: '发放国家助学金 2000 元' } });
    expect(aid.status).toBe(201);
    expect(aid.body.assistanceRecords).toEqual([expect.objectContaining({ kind: '助学金', description: '发放国家助学金 2000 元' })]);
  });

  it('refuses special categories on a student who is not special', async () => {
    const response = await t.request('POST', '/api/students', { as: counselorA, body: archive('2024A0004', { careTier: '一般', specialCategories: ['disability'] }) });
    expect(response.status).toBe(400);
    expect(response.body.details[0]).toMatchObject({ path: 'specialCategories', rule: 'conditional' });
  });
});

describe('A3 yearly update, staleness and history', () => {
  it('lists archives not confirmed in a given academic year, and confirming removes them', async () => {
    const created = await t.request('POST', '/api/students', { as: counselorA, body: archive('2024A0005') });
    const now = await t.request('GET', `/api/students?stale=true&academicYear=${year}&q=2024A0005`, { as: counselorA });
    expect(now.body.total).toBe(0);
    const next = await t.request('GET', `/api/students?stale=true&academicYear=${nextYear}&q=2024A0005`, { as: counselorA });
    expect(next.body.total).toBe(1);
    // An archive last confirmed a year ago is stale now.
    await mongoose.connection.collection('students').updateOne({ studentNo: '2024A0005' }, { $set: { lastConfirmedYear: lastYear } });
    expect((await t.request('GET', `/api/students/${created.body.id}`, { as: counselorA })).body.stale).toBe(true);
    const byCounselor = await t.request('GET', '/api/students/stale-by-counselor', { as: counselorA });
    // The academic year and its first and last day come from the service's calendar (workflows plan by them).
    expect(byCounselor.body).toMatchObject({ academicYear: year, startsOn: `${year.slice(0, 4)}-09-01`, endsOn: `${year.slice(5)}-08-31` });
    expect(byCounselor.body.counselors).toContainEqual(expect.objectContaining({ counselor: String(counselorA.userId), counselorName: counselorA.username, stale: 1 }));
    const confirmed = await t.request('POST', `/api/students/${created.body.id}/confirm`, { as: counselorA });
    expect(confirmed.body).toMatchObject({ stale: false, lastConfirmedYear: year });
  });

  it('keeps who changed what and when, and shows a year-to-year diff', async () => {
    const created = await t.request('POST', '/api/students', { as: counselorA, body: archive('2024A0006', { medicalHistory: '无' }) });
    // The first revision dates from last academic year.
    await mongoose.connection.collection('archiverevisions').updateOne(
      { student: new mongoose.Types.ObjectId(created.body.id), revision: 1 },
      { $set: { at: new Date(Date.now() - 400 * 86_400_000), academicYear: lastYear } },
    );
    const updated = await t.request('PATCH', `/api/students/${created.body.id}`, { as: counselorA, body: { className: '数控2班', medicalHistory: '哮喘' } });
    expect(updated.status).toBe(200);
    expect(updated.body.changes).toEqual([{ field: 'className', from: '数控1班', to: '数控2班' }, { field: 'medicalHistory', sensitive: true }]);

    const history = await t.request('GET', `/api/students/${created.body.id}/history`, { as: counselorA });
    expect(history.body.map((h: { revision: number; by: string }) => [h.revision, h.by])).toEqual([[2, counselorA.username], [1, counselorA.username]]);

    const diff = await t.request('GET', `/api/students/${created.body.id}/diff?from=${lastYear}&to=${year}`, { as: counselorA });
    expect(diff.body.changes).toEqual([
      { field: 'className', from: '数控1班', to: '数控2班' },
      { field: 'medicalHistory', from: '无', to: '哮喘', sensitive: true },
    ]);
    const teacherDiff = await t.request('GET', `/api/students/${created.body.id}/diff?from=${lastYear}&to=${year}`, { as: teacherA });
    expect(teacherDiff.body.changes[1]).toEqual({ field: 'medicalHistory', sensitive: true });
    expect((await t.request('GET', `/api/students/${created.body.id}/diff?from=2025&to=${year}`, { as: counselorA })).status).toBe(400);
  });
});

describe('A4 sensitive information', () => {
  let id: string;
  beforeAll(async () => {
    const created = await t.request('POST', '/api/students', {
      as: counselorA,
      body: archive('2024A0007', { medicalHistory: '癫痫病史', psychologicalFlags: '焦虑倾向', familyFinances: '低保户' }),
    });
    id = created.body.id;
  });

  it('stores ciphertext: the raw document holds none of the values', async () => {
    const raw = await mongoose.connection.collection('students').findOne({ studentNo: '2024A0007' });
    const text = JSON.stringify(raw);
    for (const secret of ['癫痫', '焦虑', '低保']) expect(text).not.toContain(secret);
    expect(raw?.sealed.medicalHistory).toMatch(/^v1:/);
    const revision = JSON.stringify(await mongoose.connection.collection('archiverevisions').findOne({ student: raw?._id }));
    expect(revision).not.toContain('癫痫');
  });

  it('a teacher cannot read the medical history; the counselor can, and the audit log names the reader', async () => {
    const asTeacher = await t.request('GET', `/api/students/${id}`, { as: teacherA });
    expect(asTeacher.status).toBe(200);
    expect(asTeacher.body.medicalHistory).toBeUndefined();
    expect(asTeacher.body.redacted).toEqual(['medicalHistory', 'psychologicalFlags', 'familyFinances']);
    const asCounselor = await t.request('GET', `/api/students/${id}`, { as: counselorA });
    expect(asCounselor.body).toMatchObject({ medicalHistory: '癫痫病史', psychologicalFlags: '焦虑倾向', familyFinances: '低保户' });
    const audit = await t.request('GET', `/api/audit?action=read-sensitive&resourceType=student&resourceId=${id}`, { as: officer });
    const readers = audit.body.items.map((e: { actor: { username: string }; requestId: string }) => [e.actor.username, e.requestId]);
    expect(readers).toContainEqual([counselorA.username, asCounselor.headers.get('x-request-id')]);
    expect(new Set(readers.map((r: string[]) => r[0]))).toEqual(new Set([counselorA.username]));
    expect(await AuditEntryModel.countDocuments({ action: 'read-sensitive', resourceId: id, 'actor.username': teacherA.username })).toBe(0);
  });

  it('a counselor of another college cannot list or read these students', async () => {
    expect((await t.request('GET', `/api/students/${id}`, { as: counselorB })).status).toBe(404);
    expect((await t.request('GET', '/api/students/2024A0007', { as: counselorB })).status).toBe(404);
    const list = await t.request('GET', '/api/students?limit=500', { as: counselorB });
    expect(list.body.total).toBe(0);
    expect((await t.request('PATCH', `/api/students/${id}`, { as: counselorB, body: { className: 'x班' } })).status).toBe(404);
    const listA = await t.request('GET', '/api/students?limit=500', { as: counselorA });
    expect(listA.body.items.every((s: { medicalHistory?: string }) => s.medicalHistory === undefined)).toBe(true);
  });

  it('a counselor cannot create a student in another college', async () => {
    const response = await t.request('POST', '/api/students', { as: counselorB, body: archive('2024B0001') });
    expect(response.status).toBe(400);
    expect(response.body.details[0]).toMatchObject({ path: 'college', rule: 'scope' });
  });
});

describe('paging a long list', () => {
  it('pages by key (after = the previous page’s next) to the same students as by skip, and refuses both at once', async () => {
    for (const no of ['2024P0001', '2024P0002', '2024P0003', '2024P0004', '2024P0005']) {
      expect((await t.request('POST', '/api/students', { as: counselorA, body: archive(no) })).status).toBe(201);
    }
    const bySkip = await t.request('GET', '/api/students?q=2024P&limit=100', { as: counselorA });
    expect(bySkip.body.total).toBe(5);
    const byKey: string[] = [];
    let after: string | null = '';
    for (let page = 0; after !== null && page < 10; page += 1) {
      const response = await t.request('GET', `/api/students?q=2024P&limit=2${after ? `&after=${after}` : ''}`, { as: counselorA });
      expect(response.status).toBe(200);
      byKey.push(...response.body.items.map((s: { studentNo: string }) => s.studentNo));
      after = response.body.next;
    }
    expect(byKey).toEqual(bySkip.body.items.map((s: { studentNo: string }) => s.studentNo));
    const keyed = await t.request('GET', '/api/students?q=2024P&limit=2&after=2024P0002', { as: counselorA });
    expect(keyed.headers.get('content-range')).toBe('0-1/*');
    const both = await t.request('GET', '/api/students?q=2024P&limit=2&skip=2&after=2024P0002', { as: counselorA });
    expect([both.status, both.body.details?.[0]?.path]).toEqual([400, 'skip']);
    expect(both.body.details[0].message).toMatch(/skip 与 after 不能同时使用/);
  });
});
