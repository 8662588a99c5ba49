import mongoose from 'mongoose';
import { AuditEntryModel } from '../../server/audit/audit-entry.model';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let counselor: Credentials;
let teacher: Credentials;
let leader: Credentials;
let officer: Credentials;

beforeAll(async () => {
  t = await startTestService();
  const a = await t.college('A');
  counselor = await t.staff('counselor', a);
  teacher = await t.staff('teacher', a);
  leader = await t.staff('collegeLeader', a);
  officer = await t.staff('studentAffairs');
});
afterAll(async () => {
  await t.stop();
});

const archive = {
  studentNo: '2024JX0001',
  studentName: '张伟',
  gender: 'male',
  birthDate: '2006-03-01',
  college: '机械工程系',
  major: '数控技术',
  grade: '2024',
  className: '数控1班',
  counselorName: '刘老师',
  guardians: [{ guardianName: '张军', relation: '父亲', phone: '13800138000' }],
  homeAddress: '山东省某市某区 1 号',
  careTier: 'special',
  specialCategories: { financialHardship: true, disability: false, chronicIllness: true, psychological: false, academic: false, familyChange: false, other: false },
  supportPlan: '每月谈心一次，协助申请助学金。',
  medicalHistory: '哮喘，需随身携带药物',
  familySituation: '父亲务工，年收入约 3 万元',
};

describe('sensitive fields (A4) and the audit log', () => {
  let id: string;

  beforeAll(async () => {
    const created = await t.request('POST', '/form/studentArchive/submission', { as: counselor, body: { data: archive } });
    expect(created.status).toBe(201);
    id = created.body._id;
  });

  it('stores sensitive fields as ciphertext: the raw document holds no plaintext', async () => {
    const raw = await mongoose.connection.collection('submissions').findOne({ _id: new mongoose.Types.ObjectId(id) });
    const text = JSON.stringify(raw);
    expect(text).not.toContain('哮喘');
    expect(text).not.toContain('3 万元');
    expect(raw?.data.medicalHistory).toBeUndefined();
    expect(raw?.sealed.medicalHistory).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(raw?.data.studentName).toBe('张伟');
  });

  it('shows sensitive fields to the counselor and audits that read', async () => {
    const read = await t.request('GET', `/form/studentArchive/submission/${id}`, { as: counselor });
    expect(read.body.data.medicalHistory).toBe(archive.medicalHistory);
    expect(read.body.redacted).toEqual([]);
    const entries = await AuditEntryModel.find({ action: 'read-sensitive', resourceId: id, requestId: read.headers.get('x-request-id') }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor?.username).toBe(counselor.username);
    expect(entries[0]!.fields.sort()).toEqual(['familySituation', 'medicalHistory']);
  });

  it('hides sensitive fields from a teacher, who cannot read a medical history', async () => {
    const own = await t.request('POST', '/form/studentArchive/submission', { as: teacher, body: { data: archive } });
    const read = await t.request('GET', `/form/studentArchive/submission/${own.body._id}`, { as: teacher });
    expect(read.status).toBe(200);
    expect(read.body.data.medicalHistory).toBeUndefined();
    expect(read.body.redacted.sort()).toEqual(['familySituation', 'medicalHistory']);
    expect(await AuditEntryModel.countDocuments({ action: 'read-sensitive', resourceId: own.body._id })).toBe(0);
  });

  it('keeps sealed values when someone who cannot see them updates the record', async () => {
    const own = await t.request('POST', '/form/studentArchive/submission', { as: teacher, body: { data: archive } });
    const { medicalHistory: _m, familySituation: _f, ...visible } = archive;
    const updated = await t.request('PUT', `/form/studentArchive/submission/${own.body._id}`, { as: teacher, body: { data: { ...visible, className: '数控2班' } } });
    expect(updated.status).toBe(200);
    const read = await t.request('GET', `/form/studentArchive/submission/${own.body._id}`, { as: leader });
    expect(read.body.data.className).toBe('数控2班');
    expect(read.body.data.medicalHistory).toBe(archive.medicalHistory);
  });

  it('lists sensitive reads and writes in the audit log for auditors only', async () => {
    await t.request('GET', `/form/studentArchive/submission/${id}`, { as: leader });
    const log = await t.request('GET', `/api/audit?resourceType=submission&resourceId=${id}`, { as: officer });
    expect(log.status).toBe(200);
    const actions = log.body.items.map((e: { action: string; actor: { username: string } }) => `${e.action}:${e.actor.username}`);
    expect(actions).toContain(`create:${counselor.username}`);
    expect(actions).toContain(`read-sensitive:${leader.username}`);
    expect((await t.request('GET', '/api/audit', { as: counselor })).status).toBe(403);
  });

  it('audits every write model in the service (no schema forgot the plugin)', () => {
    const unaudited = Object.values(mongoose.models)
      .filter((model) => model.modelName !== 'AuditEntry')
      .filter((model) => !(model.schema as unknown as { plugins: Array<{ fn: { name: string } }> }).plugins.some((p) => p.fn.name === 'auditWrites'))
      .map((model) => model.modelName);
    expect(unaudited).toEqual([]);
  });
});
