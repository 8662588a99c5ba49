import mongoose, { Types } from 'mongoose';
import { discardUnfinishedSubmissions } from '../../server/forms/forms.service';
import { runSubmissionHandler } from '../../server/forms/submission-handlers';
import type { Actor } from '../../server/identity/actor';
import { ROLE_PERMISSIONS } from '../../server/identity/roles';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let counselor: Credentials;

const contactData = (studentNo: string) => ({
  studentNo, studentName: '王小明', guardianName: '王父', channel: 'phone', topics: { grades: true }, summary: '成绩下滑，约定每周沟通', parentFeedback: '家长同意配合', contactedAt: '2026-11-20T10:00:00+08:00',
});
const count = (collection: string, filter: Record<string, unknown> = {}) => mongoose.connection.collection(collection).countDocuments(filter);

beforeAll(async () => {
  t = await startTestService();
  const college = await t.college('A');
  counselor = await t.staff('counselor', college);
  const created = await t.request('POST', '/api/students', {
    as: counselor,
    body: { studentNo: '2024F0001', name: '王小明', gender: '男', birthDate: '2006-02-02', college: 'A', major: '会计', grade: '2024', className: '会计1班' },
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await t.stop();
});

describe('a submission and the record it drives are kept together or not at all', () => {
  it('creates the contact under the submission id, so the record is found from the submission', async () => {
    const submitted = await t.request('POST', '/form/contactLog/submission', { as: counselor, body: { data: contactData('2024F0001') } });
    expect(submitted.status).toBe(201);
    expect(submitted.body.metadata.linked).toEqual({ type: 'contact', id: submitted.body._id });
    expect(await count('contacts', { _id: new Types.ObjectId(submitted.body._id) })).toBe(1);
  });

  it('leaves neither a submission nor a record behind when the record cannot be made', async () => {
    const [submissionsBefore, contactsBefore] = [await count('submissions'), await count('contacts')];
    const refused = await t.request('POST', '/form/contactLog/submission', { as: counselor, body: { data: contactData('2099X9999') } });
    expect(refused.status).toBe(404);
    expect(await count('submissions')).toBe(submissionsBefore);
    expect(await count('contacts')).toBe(contactsBefore);
  });

  it('discards the half-made work of a process that died between storing the submission and finishing it', async () => {
    // What a crash leaves: a submission still `processing`, and the contact its handler already made.
    const id = new Types.ObjectId();
    const form = await mongoose.connection.collection('forms').findOne({ path: 'contactLog' });
    const old = new Date(Date.now() - 10 * 60_000);
    await mongoose.connection.collection('submissions').insertOne({ _id: id, form: form!._id, formPath: 'contactLog', formVersion: 1, data: {}, sealed: {}, owner: counselor.userId, state: 'processing', metadata: {}, createdAt: old, updatedAt: old });
    const student = await mongoose.connection.collection('students').findOne({ studentNo: '2024F0001' });
    await mongoose.connection.collection('contacts').insertOne({ _id: id, student: student!._id, college: student!.college, owner: counselor.userId, channel: 'phone', topics: ['grades'], summary: 's', parentFeedback: 'f', guardianName: 'g', contactedAt: old });

    // Invisible to readers meanwhile.
    expect((await t.request('GET', `/form/contactLog/submission/${String(id)}`, { as: counselor })).status).toBe(404);
    const listed = await t.request('GET', '/form/contactLog/submission?limit=100', { as: counselor });
    expect((listed.body as Array<{ _id: string }>).map((s) => s._id)).not.toContain(String(id));

    await discardUnfinishedSubmissions(60_000, () => undefined);
    expect(await count('submissions', { _id: id })).toBe(0);
    expect(await count('contacts', { _id: id })).toBe(0);
  });

  it('makes one record when the same submission is handled twice', async () => {
    const actor = { kind: 'user', userId: counselor.userId, username: counselor.username, displayName: '辅导员', role: 'counselor', college: await t.college('A'), permissions: new Set(ROLE_PERMISSIONS.counselor) } as unknown as Actor;
    const data = { studentNo: '2024F0001', kind: 'award', title: '省级技能大赛二等奖', level: 'provincial', category: 'competition', date: '2026-11-05T00:00:00+08:00' };
    const id = new Types.ObjectId();
    const first = await runSubmissionHandler('award', actor, data, id);
    const second = await runSubmissionHandler('award', actor, data, id);
    expect(second).toEqual(first);
    expect(await count('awards', { title: '省级技能大赛二等奖' })).toBe(1);
  });
});
