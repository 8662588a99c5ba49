import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { ROOT, startTestService, type Credentials, type TestService } from '../support/test-service';

const FORMS_DIR = path.join(ROOT, 'forms');

let t: TestService;
let counselorA: Credentials;
let teacherA: Credentials;
let counselorB: Credentials;
let officer: Credentials;

beforeAll(async () => {
  t = await startTestService();
  const a = await t.college('A');
  const b = await t.college('B');
  counselorA = await t.staff('counselor', a);
  teacherA = await t.staff('teacher', a);
  counselorB = await t.staff('counselor', b);
  officer = await t.staff('studentAffairs');
  for (const [no, college] of [['2024XA0001', 'A'], ['2024XB0001', 'B']]) {
    const created = await t.request('POST', '/api/students', {
      as: officer,
      body: { studentNo: no, name: '王芳', gender: '女', birthDate: '2006-01-01', college, major: '会计', grade: '2024', className: '会计1班' },
    });
    expect(created.status).toBe(201);
  }
});
afterAll(async () => {
  await t.stop();
});

const contactFor = (studentNo: string) => ({
  studentNo,
  studentName: '王芳',
  guardianName: '王建国',
  channel: 'phone',
  contactedAt: '2026-11-20T10:00:00+08:00',
  topics: { conduct: true, grades: false, thinking: false, awardsPenalties: false, incident: false },
  summary: '与家长沟通本学期在校表现与学习情况。',
  parentFeedback: '家长表示支持，希望多关注英语学习。',
});
const contact = contactFor('2024XA0001');

describe('Form.io forms API', () => {
  it('serves every form definition in forms/ by path alias and by version id', async () => {
    const list = await t.request('GET', '/form?limit=100', { as: counselorA });
    expect(list.status).toBe(200);
    const shipped = readdirSync(FORMS_DIR).filter((f) => f.endsWith('.json')).map((f) => (JSON.parse(readFileSync(path.join(FORMS_DIR, f), 'utf8')) as { path: string }).path);
    expect(shipped).toEqual(expect.arrayContaining(['award', 'contactLog', 'keyCase', 'studentArchive', 'termLetterFeedback', 'visitApplication', 'visitReport', 'mentoringGroupProposal', 'mentoringActivity', 'aidTeamActivity', 'fundAward']));
    expect(list.body.map((f: { path: string }) => f.path).sort()).toEqual(shipped.sort());
    // Form.io's page is 10 forms unless asked for more.
    expect((await t.request('GET', '/form', { as: counselorA })).body).toHaveLength(Math.min(10, shipped.length));
    expect(list.headers.get('content-range')).toBe(`0-${shipped.length - 1}/${shipped.length}`);

    const byPath = await t.request('GET', '/form/visitReport', { as: counselorA });
    expect(byPath.status).toBe(200);
    expect(byPath.body).toMatchObject({ path: 'visitReport', title: '家访工作报告', version: 1, type: 'form' });
    const byId = await t.request('GET', `/form/${byPath.body._id}`, { as: counselorA });
    expect(byId.body.path).toBe('visitReport');
    expect((await t.request('GET', '/form/noSuchForm', { as: counselorA })).status).toBe(404);
  });

  it('rejects an invalid submission with field paths and Chinese messages (Form.io ValidationError)', async () => {
    const response = await t.request('POST', '/form/contactLog/submission', {
      as: counselorA,
      body: { data: { ...contact, studentName: '', channel: 'pigeon', summary: '太短' } },
    });
    expect(response.status).toBe(400);
    expect(response.body.name).toBe('ValidationError');
    const byPath = Object.fromEntries(response.body.details.map((d: { path: string; message: string }) => [d.path, d.message]));
    expect(byPath.studentName).toBe('学生姓名为必填项');
    expect(byPath.summary).toMatch(/沟通摘要至少需要 10 个字符/);
    expect(byPath.channel).toMatch(/沟通方式/);
    expect(response.body.details.find((d: { path: string }) => d.path === 'studentName').messageEn).toMatch(/required/);
    expect(await mongoose.connection.collection('submissions').countDocuments()).toBe(0);
  });

  it('a contact-log submission logs the contact with the family (the form drives the liaison record)', async () => {
    const created = await t.request('POST', '/form/contactLog/submission', { as: counselorA, body: { data: contact } });
    expect(created.body.metadata.linked).toEqual({ type: 'contact', id: expect.stringMatching(/^[0-9a-f]{24}$/) });
    const contacts = await t.request('GET', '/api/contacts?student=2024XA0001', { as: counselorA });
    expect(contacts.body.items.map((c: { id: string }) => c.id)).toContain(created.body.metadata.linked.id);
    const unknown = await t.request('POST', '/form/contactLog/submission', { as: counselorB, body: { data: contact } });
    expect(unknown.status).toBe(404);
    expect(await mongoose.connection.collection('submissions').countDocuments({ owner: counselorB.userId })).toBe(0);
  });

  it('accepts a valid submission (201), drops unknown keys, and reads it back', async () => {
    const created = await t.request('POST', '/form/contactLog/submission', {
      as: counselorA,
      body: { data: { ...contact, injected: '<script>' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.data.studentName).toBe('王芳');
    expect(created.body.data.injected).toBeUndefined();
    const read = await t.request('GET', `/form/contactLog/submission/${created.body._id}`, { as: counselorA });
    expect(read.status).toBe(200);
    expect(read.body.data.parentFeedback).toBe(contact.parentFeedback);
    expect(read.body.formVersion).toBe(1);
  });

  it('keeps another college out: 404 on read, absent from lists', async () => {
    const created = await t.request('POST', '/form/contactLog/submission', { as: counselorA, body: { data: contact } });
    const read = await t.request('GET', `/form/contactLog/submission/${created.body._id}`, { as: counselorB });
    expect(read.status).toBe(404);
    const update = await t.request('PUT', `/form/contactLog/submission/${created.body._id}`, { as: counselorB, body: { data: contact } });
    expect(update.status).toBe(404);
    const listB = await t.request('GET', '/form/contactLog/submission', { as: counselorB });
    expect(listB.body).toEqual([]);
    const listOfficer = await t.request('GET', '/form/contactLog/submission?limit=100', { as: officer });
    expect(listOfficer.body.map((s: { _id: string }) => s._id)).toContain(created.body._id);
  });

  it('lets a teacher see only their own submissions, not a colleague’s in the same college', async () => {
    const created = await t.request('POST', '/form/contactLog/submission', { as: counselorA, body: { data: contact } });
    expect((await t.request('GET', `/form/contactLog/submission/${created.body._id}`, { as: teacherA })).status).toBe(404);
    const mine = await t.request('POST', '/form/contactLog/submission', { as: teacherA, body: { data: contact } });
    expect((await t.request('GET', `/form/contactLog/submission/${mine.body._id}`, { as: teacherA })).status).toBe(200);
  });

  it('updates a submission after validating it again', async () => {
    const created = await t.request('POST', '/form/contactLog/submission', { as: counselorA, body: { data: contact } });
    const bad = await t.request('PUT', `/form/contactLog/submission/${created.body._id}`, { as: counselorA, body: { data: { ...contact, summary: '' } } });
    expect(bad.status).toBe(400);
    const good = await t.request('PUT', `/form/contactLog/submission/${created.body._id}`, {
      as: counselorA,
      body: { data: { ...contact, followUp: '下周再次电话回访' } },
    });
    expect(good.status).toBe(200);
    const read = await t.request('GET', `/form/contactLog/submission/${created.body._id}`, { as: counselorA });
    expect(read.body.data.followUp).toBe('下周再次电话回访');
    expect(read.body.data.summary).toBe(contact.summary);
  });

  it('turns a changed definition into a new version; old submissions keep theirs', async () => {
    const before = await t.request('POST', '/form/termLetterFeedback/submission', {
      as: counselorA,
      body: { data: { studentName: '李娜', parentName: '李军', satisfaction: 'satisfied', opinions: '很好', wantsReply: 'no' } },
    });
    expect(before.status).toBe(201);
    const definition = JSON.parse(readFileSync(path.join(ROOT, 'forms', 'term-letter-feedback.json'), 'utf8'));
    definition.components.splice(-1, 0, { type: 'textfield', key: 'className', label: '班级', input: true, validate: { required: true } });

    expect((await t.request('PUT', '/form/termLetterFeedback', { as: counselorA, body: definition })).status).toBe(403);
    const saved = await t.request('PUT', '/form/termLetterFeedback', { as: officer, body: definition });
    expect(saved.status).toBe(201);
    expect(saved.body.version).toBe(2);
    const again = await t.request('PUT', '/form/termLetterFeedback', { as: officer, body: definition });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(2);

    const versions = await t.request('GET', '/form/termLetterFeedback/v', { as: officer });
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const old = await t.request('GET', `/form/termLetterFeedback/submission/${before.body._id}`, { as: counselorA });
    expect(old.body.formVersion).toBe(1);
    // The new version's rule applies to new submissions only.
    const missing = await t.request('POST', '/form/termLetterFeedback/submission', {
      as: counselorA,
      body: { data: { studentName: '李娜', parentName: '李军', satisfaction: 'satisfied', opinions: '很好', wantsReply: 'no' } },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.details[0]).toMatchObject({ path: 'className', message: '班级为必填项' });
  });

  it('serves a version another service process stored within a second', async () => {
    const served = await t.request('GET', '/form/award', { as: counselorA });
    expect(served.status).toBe(200);
    const forms = mongoose.connection.collection('forms');
    const latest = await forms.findOne({ path: 'award' }, { sort: { version: -1 } });
    // As another replica's form builder stores it: straight into the shared database.
    await forms.insertOne({ ...latest!, _id: new mongoose.Types.ObjectId(), version: latest!.version + 1, title: '表彰登记（修订）', hash: 'another-replica', createdAt: new Date(), updatedAt: new Date() });
    await new Promise((r) => setTimeout(r, 1_100));
    const after = await t.request('GET', '/form/award', { as: counselorA });
    expect(after.body).toMatchObject({ title: '表彰登记（修订）', version: latest!.version + 1 });
  });

  it('refuses a definition with non-ASCII or duplicate keys', async () => {
    const response = await t.request('PUT', '/form/contactLog', {
      as: officer,
      body: { title: '坏表单', components: [{ type: 'textfield', key: '姓名', label: '姓名', input: true }, { type: 'textfield', key: 'a', input: true }, { type: 'textfield', key: 'a', input: true }] },
    });
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { rule: string }) => d.rule).sort()).toEqual(['pattern', 'unique']);
  });

  it('pages through submissions with Content-Range', async () => {
    for (let i = 0; i < 3; i += 1) await t.request('POST', '/form/contactLog/submission', { as: counselorB, body: { data: contactFor('2024XB0001') } });
    const page = await t.request('GET', '/form/contactLog/submission?limit=2&skip=1', { as: counselorB });
    expect(page.body).toHaveLength(2);
    expect(page.headers.get('content-range')).toBe('1-2/3');
  });
});
