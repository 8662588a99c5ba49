import mongoose, { Types } from 'mongoose';
import { academicYearOf } from '../../server/calendar/academic-calendar';
import type { Actor } from '../../server/identity/actor';
import { FieldCipher } from '../../server/security/field-cipher';
import { readStudentDirectory, recordInDirectory, syncStudentDirectory } from '../../server/students/directory/student-directory';
import { ImportJobModel } from '../../server/students/roster/import-job.model';
import { undoImport } from '../../server/students/roster/import-undo';
import { RosterImportService } from '../../server/students/roster/roster-import.service';
import { StudentsService } from '../../server/students/students.service';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * The student directory (whole-school reads: a term letter's audience) against the archives it copies:
 * every way an archive changes through the service reaches it at the archive's revision, writes landing
 * out of order keep the later revision, and the pass over the archives repairs whatever was written
 * outside the service.
 */

let t: TestService;
let counselor: Credentials;
let collegeA: Types.ObjectId;

const students = () => mongoose.connection.collection('students');
const entries = () => mongoose.connection.collection('studentdirectory');

async function create(no: string, phone: string) {
  const created = await t.request('POST', '/api/students', {
    as: counselor,
    body: { studentNo: no, name: '韩梅梅', gender: '女', birthDate: '2006-05-01', college: 'A', major: '会计', grade: '2024', className: '会计1班', counselor: counselor.username, guardians: [{ name: '韩军', relation: '父亲', phone }] },
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; revision: number };
}

/** The directory read as the letters read it equals the archives read straight from the database. */
async function expectInStep(): Promise<void> {
  const archives = await students().find({}).toArray();
  const expected = archives
    .map((a) => ({ id: String(a._id), revision: a.revision ?? 0, studentNo: a.studentNo, name: a.name, college: String(a.college), counselor: a.counselor ? String(a.counselor) : null, grade: a.grade, major: a.major, careTier: a.careTier ?? 'general', phones: (a.guardians ?? []).map((g: { phone: string }) => g.phone) }))
    .sort((x, y) => x.id.localeCompare(y.id));
  const actual = (await readStudentDirectory())
    .map((s) => ({ id: String(s._id), revision: s.revision, studentNo: s.studentNo, name: s.name, college: String(s.college), counselor: s.counselor ? String(s.counselor) : null, grade: s.grade, major: s.major, careTier: s.careTier, phones: s.guardians.map((g) => g.phone) }))
    .sort((x, y) => x.id.localeCompare(y.id));
  expect(actual).toEqual(expected);
}

beforeAll(async () => {
  t = await startTestService();
  collegeA = await t.college('A');
  counselor = await t.staff('counselor', collegeA);
});
afterAll(async () => {
  await t.stop();
});

describe('the student directory keeps step with the archives', () => {
  it('holds every archive created and edited through the API at its current revision, also after parallel edits', async () => {
    const first = await create('2024D0001', '13900000001');
    await create('2024D0002', '13900000002');
    let revision = first.revision;
    for (const phone of ['13911111111', '13922222222']) {
      const edited = await t.request('PATCH', `/api/students/${first.id}`, { as: counselor, headers: { 'If-Match': `"${revision}"` }, body: { guardians: [{ name: '韩军', relation: '父亲', phone }] } });
      expect(edited.status).toBe(200);
      revision = edited.body.student.revision;
    }
    // Eight edits of the same revision at once: one wins, and the directory holds the winner's phone.
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.request('PATCH', `/api/students/${first.id}`, { as: counselor, headers: { 'If-Match': `"${revision}"` }, body: { careTier: 'key', guardians: [{ name: '韩军', relation: '父亲', phone: `1393333333${i}` }] } })),
    );
    const won = results.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    const entry = (await readStudentDirectory()).find((s) => String(s._id) === first.id)!;
    expect(entry).toMatchObject({ revision: revision + 1, careTier: 'key', guardians: [{ phone: won[0]!.body.student.guardians[0].phone }] });
    await expectInStep();
  });

  it('keeps the later revision when two entry writes land out of order', async () => {
    const archive = await students().findOne({ studentNo: '2024D0002' });
    // Revisions 10 and 9: compared as text without their padding, "9" would win.
    await recordInDirectory([{ ...archive!, _id: archive!._id, revision: 10, name: '后写的版本' }]);
    await recordInDirectory([{ ...archive!, _id: archive!._id, revision: 9, name: '先写的版本' }]);
    expect((await readStudentDirectory()).find((s) => s._id.equals(archive!._id))).toMatchObject({ revision: 10, name: '后写的版本' });
    // The pass over the archives puts back what the archive says (the entry was ahead of it).
    await syncStudentDirectory();
    await expectInStep();
  });

  it('an import enters its new archives and its changes; undoing it takes the new ones out again', async () => {
    const actor = { kind: 'user', userId: counselor.userId, username: 'importer', displayName: '导入员', role: 'admin', permissions: new Set() } as unknown as Actor;
    const importer = new RosterImportService(new StudentsService(new FieldCipher(Buffer.alloc(32, 7)), { yearStartMonth: 9, yearStartDay: 1 }));
    const job = await ImportJobModel.create({ fileName: 'd.xlsx', owner: counselor.userId, status: 'writing' });
    const before = (await students().findOne({ studentNo: '2024D0002' }))!;
    const draft = { _id: new Types.ObjectId(), studentNo: '2024D0003', name: '新生', gender: 'male', birthDate: new Date('2006-01-01'), college: collegeA, major: '会计', grade: '2025', className: '会计2班', guardians: [{ name: '家长', relation: '母亲', phone: '13700000003' }], sealed: {} };
    const writes = [
      { kind: 'update', value: { studentNo: '2024D0002' }, before, set: { grade: '2023' }, changes: [{ field: 'grade', from: before.grade, to: '2023' }] },
      { kind: 'insert', value: { studentNo: '2024D0003' }, before: draft, set: draft, changes: [] },
    ];
    await (importer as unknown as { write(a: Actor, job: unknown, writes: unknown[], total: number): Promise<void> }).write(actor, job, writes, 2);
    const read = await readStudentDirectory();
    expect(read.find((s) => s.studentNo === '2024D0003')).toMatchObject({ revision: 1, grade: '2025', guardians: [{ phone: '13700000003' }] });
    expect(read.find((s) => s.studentNo === '2024D0002')).toMatchObject({ grade: '2023' });
    await expectInStep();

    await undoImport(job._id, academicYearOf(new Date()));
    expect((await readStudentDirectory()).some((s) => s.studentNo === '2024D0003')).toBe(false);
    await expectInStep();
    // A write of the removed archive still in flight does not bring it back, nor does the next pass.
    await recordInDirectory([{ ...draft, revision: 2 }]);
    await syncStudentDirectory();
    expect((await readStudentDirectory()).some((s) => s.studentNo === '2024D0003')).toBe(false);
    await expectInStep();
  });

  it('the pass over the archives repairs what was written outside the service', async () => {
    // An archive inserted straight into the database, one changed there without a new revision, an entry
    // whose archive is gone, and an entry that was lost.
    await students().insertOne({ studentNo: '2024D0009', name: '库里写的', gender: 'male', birthDate: new Date('2006-01-01'), college: collegeA, major: '会计', grade: '2024', className: '会计1班', guardians: [{ name: '家长', relation: '父亲', phone: '13600000009' }], careTier: 'special', revision: 0 });
    await students().updateOne({ studentNo: '2024D0001' }, { $set: { name: '库里改的' } });
    await entries().insertOne({ _id: new Types.ObjectId(), e: `0000000003|${JSON.stringify(['X', '幽灵', String(collegeA), '', '2024', '会计', 'general', []])}` } as never);
    const lost = (await students().findOne({ studentNo: '2024D0002' }))!;
    await entries().deleteOne({ _id: lost._id });
    const directory = await readStudentDirectory();
    expect(directory.some((s) => s.studentNo === '2024D0009')).toBe(false);
    expect(directory.some((s) => s.name === '幽灵')).toBe(true);
    expect(directory.some((s) => s.studentNo === '2024D0002')).toBe(false);

    expect(await syncStudentDirectory()).toBe(await students().countDocuments());
    await expectInStep();
  });

  it('an archive it cannot use (no college) is left out, and every other one is still read', async () => {
    await students().insertOne({ studentNo: '2024D0010', name: '缺学院', gender: 'male', birthDate: new Date('2006-01-01'), major: '会计', grade: '2024', className: '会计1班', guardians: [null], revision: -3 });
    await syncStudentDirectory();
    const read = await readStudentDirectory();
    expect(read.some((s) => s.studentNo === '2024D0010')).toBe(false);
    expect(read.length).toBe((await students().countDocuments()) - 1);
  });
});
