import mongoose from 'mongoose';
import { AuditEntryModel } from '../../server/audit/audit-entry.model';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let counselor: Credentials;
let teacher: Credentials;
let schoolLeader: Credentials;
let leader: Credentials;
let officer: Credentials;

beforeAll(async () => {
  t = await startTestService();
  const a = await t.college('A');
  counselor = await t.staff('counselor', a);
  teacher = await t.staff('teacher', a);
  leader = await t.staff('collegeLeader', a);
  officer = await t.staff('studentAffairs');
  schoolLeader = await t.staff('schoolLeader');
});
afterAll(async () => {
  await t.stop();
});

const archive = {
  studentNo: '2024JX0001',
  studentName: '张伟',
  gender: 'male',
  birthDate: '2006-03-01',
  college: 'A',
  major: '数控技术',
  grade: '2024',
  className: '数控1班',
  counselor: '',
  guardians: [{ guardianName: '张军', relation: '父亲', phone: '13800138000' }],
  homeAddress: '山东省某市某区 1 号',
  careTier: 'special',
  specialCategories: { financialHardship: true, disability: false, chronicIllness: true, psychological: false, academic: false, familyChange: false, other: false },
  supportPlan: '每月谈心一次，协助申请助学金。',
  medicalHistory: '哮喘，需随身携带药物',
  familyFinances: '父亲务工，年收入约 3 万元',
};

describe('sensitive fields (A4) and the audit log', () => {
  let id: string;

  beforeAll(async () => {
    const created = await t.request('POST', '/form/studentArchive/submission', { as: counselor, body: { data: { ...archive, counselor: counselor.username } } });
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
    expect(entries[0]!.fields.sort()).toEqual(['familyFinances', 'medicalHistory']);
  });

  it('the archive form wrote the student archive itself, sensitive fields encrypted there too', async () => {
    const student = await t.request('GET', '/api/students/2024JX0001', { as: counselor });
    expect(student.body).toMatchObject({ name: '张伟', careTier: 'special', specialCategories: ['financialHardship', 'chronicIllness'], medicalHistory: archive.medicalHistory });
    expect(student.body.guardians).toEqual([{ name: '张军', relation: '父亲', phone: '13800138000' }]);
  });

  it('hides sensitive fields from a role without need to know (school leader), without auditing a read', async () => {
    const read = await t.request('GET', `/form/studentArchive/submission/${id}`, { as: schoolLeader });
    expect(read.status).toBe(200);
    expect(read.body.data.medicalHistory).toBeUndefined();
    expect(read.body.redacted.sort()).toEqual(['familyFinances', 'medicalHistory']);
    expect(await AuditEntryModel.countDocuments({ action: 'read-sensitive', resourceId: id, 'actor.username': schoolLeader.username })).toBe(0);
  });

  it('a teacher cannot write an archive through the form', async () => {
    const response = await t.request('POST', '/form/studentArchive/submission', { as: teacher, body: { data: { ...archive, studentNo: '2024JX0009' } } });
    expect(response.status).toBe(403);
  });

  it('keeps sealed values when someone who cannot see them updates the record', async () => {
    const definition = (await t.request('GET', '/form/termLetterFeedback', { as: officer })).body;
    const components = JSON.parse(JSON.stringify(definition.components).replace('"key":"parentPhone"', '"properties":{"sensitive":"true"},"key":"parentPhone"'));
    expect((await t.request('PUT', '/form/termLetterFeedback', { as: officer, body: { ...definition, components } })).status).toBe(201);
    const feedback = { studentName: '李娜', parentName: '李军', parentPhone: '13912345678', satisfaction: 'satisfied', opinions: '很好', wantsReply: 'no' };
    const own = await t.request('POST', '/form/termLetterFeedback/submission', { as: teacher, body: { data: feedback } });
    expect(own.body.redacted).toEqual(['parentPhone']);
    const { parentPhone: _p, ...visible } = feedback;
    const updated = await t.request('PUT', `/form/termLetterFeedback/submission/${own.body._id}`, { as: teacher, body: { data: { ...visible, opinions: '补充：希望多组织家长会' } } });
    expect(updated.status).toBe(200);
    const read = await t.request('GET', `/form/termLetterFeedback/submission/${own.body._id}`, { as: leader });
    expect(read.body.data).toMatchObject({ opinions: '补充：希望多组织家长会', parentPhone: '13912345678' });
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
