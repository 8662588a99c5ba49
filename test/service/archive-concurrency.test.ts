import mongoose, { Types } from 'mongoose';
import type { Actor } from '../../server/identity/actor';
import { planArchiveChange } from '../../server/students/archive-changes';
import { ImportJobModel } from '../../server/students/roster/import-job.model';
import { RosterImportService } from '../../server/students/roster/roster-import.service';
import { recoverInterruptedImports, undoImport } from '../../server/students/roster/import-undo';
import { StudentsService } from '../../server/students/students.service';
import { FieldCipher } from '../../server/security/field-cipher';
import { academicYearOf } from '../../server/calendar/academic-calendar';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let counselorA: Credentials;
let counselorB: Credentials;
let collegeA: Types.ObjectId;
const year = academicYearOf(new Date());

function archive(no: string, extra: Record<string, unknown> = {}) {
  return {
    studentNo: no, name: '李雷', gender: '男', birthDate: '2006-03-01', college: 'A', major: '数控技术', grade: '2024', className: '数控1班',
    counselor: counselorA.username, guardians: [{ name: '李军', relation: '父亲', phone: '13800138000' }], ...extra,
  };
}

async function create(no: string, extra: Record<string, unknown> = {}) {
  const created = await t.request('POST', '/api/students', { as: counselorA, body: archive(no, extra) });
  expect(created.status).toBe(201);
  return created.body as { id: string; revision: number };
}

const revisions = (student: string) => mongoose.connection.collection('archiverevisions').countDocuments({ student: new Types.ObjectId(student) });

beforeAll(async () => {
  t = await startTestService();
  collegeA = await t.college('A');
  const b = await t.college('B');
  counselorA = await t.staff('counselor', collegeA);
  counselorB = await t.staff('counselor', b);
});
afterAll(async () => {
  await t.stop();
});

describe('archive writes cannot be lost or doubled', () => {
  it('lets exactly one of ten concurrent edits of the same revision through; the others get 409 and change nothing', async () => {
    const student = await create('2024C0001');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.request('PATCH', `/api/students/${student.id}`, { as: counselorA, headers: { 'If-Match': `"${student.revision}"` }, body: { className: `数控${i + 2}班` } }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'REVISION_CONFLICT')).toBe(true);
    const now = await t.request('GET', `/api/students/${student.id}`, { as: counselorA });
    expect(now.body.className).toBe(ok[0]!.body.student.className);
    expect(now.body.revision).toBe(student.revision + 1);
    expect(now.headers.get('etag')).toBe(`"${student.revision + 1}"`);
    expect(await revisions(student.id)).toBe(2);
  });

  it('refuses an edit made from an old revision (If-Match) and keeps the newer archive', async () => {
    const student = await create('2024C0002');
    expect((await t.request('PATCH', `/api/students/${student.id}`, { as: counselorA, body: { supportPlan: '每周谈心' } })).status).toBe(200);
    const stale = await t.request('PATCH', `/api/students/${student.id}`, { as: counselorA, headers: { 'If-Match': `"${student.revision}"` }, body: { supportPlan: '旧计划' } });
    expect(stale.status).toBe(409);
    expect(stale.body.messageZh).toMatch(/已被他人修改/);
    expect((await t.request('GET', `/api/students/${student.id}`, { as: counselorA })).body.supportPlan).toBe('每周谈心');
    expect((await t.request('PATCH', `/api/students/${student.id}`, { as: counselorA, headers: { 'If-Match': 'seven' }, body: {} })).status).toBe(400);
  });

  it('keeps both a logged contact and an archive edit made at the same moment', async () => {
    const student = await create('2024C0003');
    const [contact, edit] = await Promise.all([
      t.request('POST', '/api/contacts', {
        as: counselorA,
        body: { student: student.id, guardianName: '李军', channel: 'phone', topics: ['grades'], summary: '期中成绩沟通', parentFeedback: '家长表示会督促', contactedAt: new Date().toISOString() },
      }),
      t.request('PATCH', `/api/students/${student.id}`, { as: counselorA, body: { homeAddress: '山东省某市某区 9 号' } }),
    ]);
    expect(contact.status).toBe(201);
    expect(edit.status).toBe(200);
    const now = await t.request('GET', `/api/students/${student.id}`, { as: counselorA });
    expect(now.body.homeAddress).toBe('山东省某市某区 9 号');
    expect(now.body.lastContactAt).not.toBeNull();
  });
});

describe('calendar dates and scope at the edge', () => {
  it('stores a birth date as the same calendar day it was given, whatever the form of the value', async () => {
    for (const [no, given] of [['2024C0101', '2006-03-01'], ['2024C0102', '2006-03-01T00:00:00+08:00'], ['2024C0103', '2006/3/1']] as const) {
      const student = await create(no, { birthDate: given });
      expect((await t.request('GET', `/api/students/${student.id}`, { as: counselorA })).body.birthDate).toBe('2006-03-01');
    }
  });

  it('refuses a counselor of another college', async () => {
    const refused = await t.request('POST', '/api/students', { as: counselorA, body: archive('2024C0201', { counselor: counselorB.username }) });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'counselor', rule: 'scope' })]);
    const student = await create('2024C0202');
    const patched = await t.request('PATCH', `/api/students/${student.id}`, { as: counselorA, body: { counselor: counselorB.username } });
    expect(patched.status).toBe(400);
  });
});

describe('A5 roster import against concurrent edits and failures', () => {
  const actor = () => ({ kind: 'user', userId: counselorA.userId, username: 'importer', displayName: '导入员', role: 'admin', permissions: new Set() }) as unknown as Actor;
  const service = () => new RosterImportService(new StudentsService(new FieldCipher(Buffer.alloc(32, 7)), { yearStartMonth: 9, yearStartDay: 1 }));
  type Write = (a: Actor, job: unknown, writes: unknown[], total: number) => Promise<void>;

  async function plannedUpdate(no: string, input: Record<string, unknown>) {
    const before = (await mongoose.connection.collection('students').findOne({ studentNo: no }))!;
    const { set, changes } = planArchiveChange(before, input, new FieldCipher(Buffer.alloc(32, 7)));
    return { kind: 'update', value: { studentNo: no, ...input }, before, set, changes };
  }

  it('applies a roster row on top of an archive edited after the roster was read, never over it', async () => {
    const student = await create('2024C0301');
    const planned = await plannedUpdate('2024C0301', { className: '数控9班' });
    // Someone edits the archive after the import read it.
    expect((await t.request('PATCH', `/api/students/${student.id}`, { as: counselorA, body: { supportPlan: '导入期间写下的计划', className: '数控5班' } })).status).toBe(200);

    const job = await ImportJobModel.create({ fileName: 'x.xlsx', owner: counselorA.userId, status: 'writing' });
    const svc = service();
    await (svc as unknown as { write: Write }).write.call(svc, actor(), job, [planned], 1);

    const now = await t.request('GET', `/api/students/${student.id}`, { as: counselorA });
    expect(now.body).toMatchObject({ supportPlan: '导入期间写下的计划', className: '数控9班', revision: student.revision + 2 });
    expect((await ImportJobModel.findById(job._id))!.updated).toBe(1);
  });

  it('undoes only what the import wrote: its new archives removed, its changes taken back, a later edit kept', async () => {
    const kept = await create('2024C0401');
    const reverted = await create('2024C0402');
    const job = await ImportJobModel.create({ fileName: 'y.xlsx', owner: counselorA.userId, status: 'writing' });
    const svc = service();
    const draft = { _id: new Types.ObjectId(), studentNo: '2024C0403', name: '新生', gender: 'male', birthDate: new Date('2006-01-01'), college: collegeA, major: '数控技术', grade: '2025', className: '数控1班', sealed: {} };
    const writes = [
      await plannedUpdate('2024C0401', { className: '导入班A' }),
      await plannedUpdate('2024C0402', { className: '导入班B' }),
      { kind: 'insert', value: { studentNo: '2024C0403' }, before: draft, set: draft, changes: [] },
    ];
    await (svc as unknown as { write: Write }).write.call(svc, actor(), job, writes, 3);
    // After the import, someone edits one of the archives it changed.
    expect((await t.request('PATCH', `/api/students/${kept.id}`, { as: counselorA, body: { className: '后来改的班' } })).status).toBe(200);

    expect(await undoImport(job._id, year)).toEqual({ undone: 2, kept: 1 });
    const students = mongoose.connection.collection('students');
    expect(await students.findOne({ studentNo: '2024C0403' })).toBeNull();
    expect((await students.findOne({ studentNo: '2024C0402' }))!.className).toBe('数控1班');
    expect((await students.findOne({ studentNo: '2024C0401' }))!.className).toBe('后来改的班');
    expect((await t.request('GET', `/api/students/${reverted.id}/history`, { as: counselorA })).body[0].source).toBe('undo');
  });

  it('at start, undoes an import whose process died and marks it failed; a running one is left alone', async () => {
    await create('2024C0501');
    const job = await ImportJobModel.create({ fileName: 'z.xlsx', owner: counselorA.userId, status: 'writing' });
    const svc = service();
    await (svc as unknown as { write: Write }).write.call(svc, actor(), job, [await plannedUpdate('2024C0501', { className: '中断前写入' })], 1);
    await ImportJobModel.updateOne({ _id: job._id }, { $set: { status: 'writing' } });

    await recoverInterruptedImports(year, 60_000, () => undefined);
    expect((await ImportJobModel.findById(job._id))!.status).toBe('writing');

    await new Promise((r) => setTimeout(r, 20));
    await recoverInterruptedImports(year, 10, () => undefined);
    const recovered = (await ImportJobModel.findById(job._id))!;
    expect(recovered.status).toBe('failed');
    expect(recovered.failure).toMatch(/中断/);
    expect((await mongoose.connection.collection('students').findOne({ studentNo: '2024C0501' }))!.className).toBe('数控1班');
  });
});
