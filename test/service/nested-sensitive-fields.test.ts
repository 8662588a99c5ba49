import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Component } from '@formio/core';
import { Utils } from '@formio/core';
import mongoose from 'mongoose';
import { AuditEntryModel } from '../../server/audit/audit-entry.model';
import { ARCHIVE_SENSITIVE_FIELDS, isMarkedSensitive } from '../../server/security/sensitive-data';
import { HOUSEHOLD_DATA, HOUSEHOLD_SECRETS, installHouseholdForm } from '../support/household-form';
import { ROOT, startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let teacher: Credentials;
let counselor: Credentials;
let id: string;

const SEALED_PATHS = ['counselingNotes', 'debts', 'household.familyFinances', 'members[0].healthNotes', 'members[1].healthNotes'];

async function rawSubmission(submissionId = id): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const raw = await mongoose.connection.collection('submissions').findOne({ _id: new mongoose.Types.ObjectId(submissionId) });
  if (!raw) throw new Error('submission not stored');
  return raw;
}

beforeAll(async () => {
  t = await startTestService();
  const a = await t.college('A');
  teacher = await t.staff('teacher', a);
  counselor = await t.staff('counselor', a);
  await installHouseholdForm();
  const created = await t.request('POST', '/form/householdSurvey/submission', { as: teacher, body: { data: HOUSEHOLD_DATA } });
  expect(created.status).toBe(201);
  id = created.body._id;
});
afterAll(async () => {
  await t.stop();
});

describe('sensitive values nested in containers, data grids and panels (A4)', () => {
  it('stores them only encrypted: the raw document has no plain text of any of them', async () => {
    const raw = await rawSubmission();
    const stored = JSON.stringify(raw);
    for (const secret of HOUSEHOLD_SECRETS) expect(stored).not.toContain(secret);
    expect(raw.data).toEqual({ studentName: '王芳', household: { town: '临沂市' }, members: [{ memberName: '王强' }, { memberName: '李梅' }] });
    expect(Object.keys(raw.sealed).sort()).toEqual(['counselingNotes', 'debts', 'household/familyFinances', 'members[0]/healthNotes', 'members[1]/healthNotes']);
    for (const token of Object.values(raw.sealed)) expect(token).toMatch(/^v1:[0-9a-f]{8}:/);
  });

  it('reads them back decrypted, in place, for a role with sensitive:read, and audits the read by path', async () => {
    const read = await t.request('GET', `/form/householdSurvey/submission/${id}`, { as: counselor });
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual(HOUSEHOLD_DATA);
    expect(read.body.redacted).toEqual([]);
    const audit = await AuditEntryModel.findOne({ action: 'read-sensitive', resourceId: id, requestId: read.headers.get('x-request-id') }).lean();
    expect(audit?.fields.sort()).toEqual(SEALED_PATHS);
  });

  it('redacts them for a role without sensitive:read, in single reads, listings and its own answers', async () => {
    const read = await t.request('GET', `/form/householdSurvey/submission/${id}`, { as: teacher });
    expect(read.body.data).toEqual({ studentName: '王芳', household: { town: '临沂市' }, members: [{ memberName: '王强' }, { memberName: '李梅' }] });
    expect(read.body.redacted.sort()).toEqual(SEALED_PATHS);
    const list = await t.request('GET', '/form/householdSurvey/submission', { as: counselor });
    expect(list.body).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain('糖尿病');
    expect(list.body[0].redacted.sort()).toEqual(SEALED_PATHS);
  });

  it('keeps the nested sealed values when a role that cannot see them edits other fields', async () => {
    const seen = (await t.request('GET', `/form/householdSurvey/submission/${id}`, { as: teacher })).body.data;
    const edited = await t.request('PUT', `/form/householdSurvey/submission/${id}`, { as: teacher, body: { data: { ...seen, household: { town: '济南市' } } } });
    expect(edited.status).toBe(200);
    const read = await t.request('GET', `/form/householdSurvey/submission/${id}`, { as: counselor });
    expect(read.body.data).toEqual({ ...HOUSEHOLD_DATA, household: { town: '济南市', familyFinances: '母亲失业，靠低保' } });
  });

  it('refuses to guess which row a kept value belongs to when rows were removed without their values', async () => {
    const seen = (await t.request('GET', `/form/householdSurvey/submission/${id}`, { as: teacher })).body.data;
    const edited = await t.request('PUT', `/form/householdSurvey/submission/${id}`, { as: teacher, body: { data: { ...seen, members: [seen.members[1]] } } });
    expect(edited.status).toBe(400);
    expect(edited.body.details[0]).toMatchObject({ path: 'members[0].healthNotes', rule: 'sensitiveRows' });
    expect(edited.body.messageZh).toBeTruthy();
    expect(edited.body.details[0].messageEn).toContain('sealed sensitive value');
    expect(Object.keys((await rawSubmission()).sealed)).toHaveLength(5);
  });

  it('lets a role that sees the values remove a row together with its value', async () => {
    const own = await t.request('POST', '/form/householdSurvey/submission', { as: counselor, body: { data: HOUSEHOLD_DATA } });
    const seen = own.body.data;
    const edited = await t.request('PUT', `/form/householdSurvey/submission/${own.body._id}`, { as: counselor, body: { data: { ...seen, members: [seen.members[1]] } } });
    expect(edited.status).toBe(200);
    expect(edited.body.data.members).toEqual([{ memberName: '李梅', healthNotes: '母亲患糖尿病' }]);
    const raw = await rawSubmission(own.body._id);
    expect(Object.keys(raw.sealed).sort()).toEqual(['counselingNotes', 'debts', 'household/familyFinances', 'members[0]/healthNotes']);
    expect(JSON.stringify(raw)).not.toContain('腰伤');
  });

  it('the student-archive form marks exactly the archive’s sensitive fields (one definition)', () => {
    const form = JSON.parse(readFileSync(path.join(ROOT, 'forms', 'student-archive.json'), 'utf8')) as { components: Component[] };
    const marked: string[] = [];
    Utils.eachComponent(form.components, (component: Component) => {
      if (isMarkedSensitive(component)) marked.push(component.key);
    }, true);
    expect(marked.sort()).toEqual([...ARCHIVE_SENSITIVE_FIELDS].sort());
  });
});
