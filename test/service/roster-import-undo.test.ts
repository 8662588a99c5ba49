import mongoose, { Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { academicYearOf } from '../../server/calendar/academic-calendar';
import type { Actor } from '../../server/identity/actor';
import { ImportJobModel } from '../../server/students/roster/import-job.model';
import { RosterImportService } from '../../server/students/roster/roster-import.service';
import { StudentsService } from '../../server/students/students.service';
import { FieldCipher } from '../../server/security/field-cipher';
import { startTestService, type TestService } from '../support/test-service';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(async () => {
  await t.stop();
});

describe('A5 nothing half-imported when writing fails part-way', () => {
  it('undoes the batches already written (inserted archives removed, updated ones restored)', async () => {
    const college = await t.college('A');
    const students = new StudentsService(new FieldCipher(randomBytes(32)), { yearStartMonth: 9, yearStartDay: 1 });
    const service = new RosterImportService(students);
    const owner = new Types.ObjectId();
    const actor = { kind: 'user', userId: owner, username: 'importer', displayName: '导入员', role: 'admin', permissions: new Set() } as unknown as Actor;
    const base = { gender: 'male', birthDate: new Date('2006-01-01'), college, major: '软件技术', grade: '2025', className: '软件1班', sealed: {}, assistanceRecords: [], guardians: [] };

    const existing = await mongoose.connection.collection('students').insertOne({ ...base, studentNo: 'KEEP0001', name: '原名', revision: 3, lastConfirmedYear: academicYearOf(new Date()) });
    const before = await mongoose.connection.collection('students').findOne({ _id: existing.insertedId });
    const inserts = Array.from({ length: 600 }, (_, i) => ({ kind: 'insert' as const, doc: { ...base, _id: new Types.ObjectId(), studentNo: `NEW${String(i).padStart(5, '0')}`, name: `新生${i}`, revision: 0 }, changes: [] }));
    // The second batch repeats an _id of the first: the database refuses it after batch one is written.
    inserts[550]!.doc._id = inserts[10]!.doc._id;
    const update = { kind: 'update' as const, doc: { ...before!, name: '新名' }, before: before!, changes: [{ field: 'name', from: '原名', to: '新名' }] };
    const job = await ImportJobModel.create({ fileName: 'x.xlsx', owner });

    const write = (service as unknown as { write(a: Actor, j: unknown, w: unknown[], n: number): Promise<void> }).write.bind(service);
    await expect(write(actor, job, [update, ...inserts], 601)).rejects.toThrow();

    expect(await mongoose.connection.collection('students').countDocuments({ studentNo: /^NEW/ })).toBe(0);
    expect(await mongoose.connection.collection('students').findOne({ _id: existing.insertedId })).toMatchObject({ name: '原名', revision: 3 });
    expect(await mongoose.connection.collection('archiverevisions').countDocuments()).toBe(0);
  });
});
