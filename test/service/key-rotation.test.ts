import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { FieldCipher } from '../../server/security/field-cipher';
import { rotateKeys, type RotationReport } from '../../server/security/key-rotation';
import { SEALED_STORES } from '../../server/security/sensitive-data';
import { describeOutcome, rotationComplete } from '../../server/security/rotation-summary';
import { HOUSEHOLD_DATA, installHouseholdForm } from '../support/household-form';
import { ROOT, startTestService, type Credentials, type TestService } from '../support/test-service';

const KEY_A = randomBytes(32);
const KEY_B = randomBytes(32);
const ID_A = new FieldCipher(KEY_A).currentKeyId;
const ID_B = new FieldCipher(KEY_B).currentKeyId;
const DB_NAME = `hsb_test_rotation_${process.pid}_${Date.now().toString(36)}`;
/** The service after the key change: B is current, A may still decrypt. */
const rotating = new FieldCipher(KEY_B, [KEY_A]);

interface Ciphertext {
  where: string;
  token: string;
}

/** Every field ciphertext in every collection of the database, wherever it sits. */
async function rawCiphertexts(): Promise<Ciphertext[]> {
  const found: Ciphertext[] = [];
  const walk = (value: unknown, where: string): void => {
    if (typeof value === 'string' && FieldCipher.keyIdOf(value)) found.push({ where, token: value });
    else if (value && typeof value === 'object' && !(value instanceof mongoose.Types.ObjectId) && !(value instanceof Date)) {
      for (const [key, child] of Object.entries(value)) walk(child, `${where}.${key}`);
    }
  };
  const db = mongoose.connection.db!;
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) walk(doc, `${name}/${String(doc._id)}`);
  }
  return found.sort((a, b) => a.where.localeCompare(b.where));
}

const keyIds = (found: Ciphertext[]): string[] => [...new Set(found.map((c) => FieldCipher.keyIdOf(c.token)!))];
/** Sealed stores per document holding a value under the key (a document may hold more than one, e.g. an answer and its fingerprint). */
const storeEntriesWith = (found: Ciphertext[], keyId: string): number =>
  new Set(found.filter((c) => FieldCipher.keyIdOf(c.token) === keyId).map((c) => c.where.split('.').slice(0, 2).join('.'))).size;
const documentsWith = (found: Ciphertext[], keyId: string): number => new Set(found.filter((c) => FieldCipher.keyIdOf(c.token) === keyId).map((c) => c.where.split('.')[0])).size;
const opened = (found: Ciphertext[], cipher: FieldCipher): Record<string, unknown> => Object.fromEntries(found.map((c) => [c.where, cipher.decrypt(c.token)]));
const rewritten = (report: RotationReport): number => report.stores.reduce((sum, s) => sum + s.rewritten, 0);

let before: TestService;
let t: TestService | undefined;
let counselor: Credentials;
let officer: Credentials;
let householdId: string;
let firstAnswer: unknown;
let beforeRotation: Ciphertext[];
let plaintexts: Record<string, unknown>;
let recordStamps: unknown;

async function stamps() {
  const db = mongoose.connection.db!;
  return {
    students: await db.collection('students').find({}, { projection: { revision: 1, updatedAt: 1 } }).sort({ _id: 1 }).toArray(),
    submissions: await db.collection('submissions').find({}, { projection: { updatedAt: 1 } }).sort({ _id: 1 }).toArray(),
  };
}

beforeAll(async () => {
  // Everything is written by the service while key A is the current key…
  before = await startTestService({ HSB_DB_NAME: DB_NAME, HSB_ENCRYPTION_KEY: KEY_A.toString('base64') });
  const a = await before.college('A');
  counselor = await before.staff('counselor', a);
  officer = await before.staff('studentAffairs');
  await installHouseholdForm();
  const archive = await before.request('POST', '/form/studentArchive/submission', {
    as: counselor,
    body: { data: {
      studentNo: '2024RT0001', studentName: '赵磊', gender: 'male', birthDate: '2006-05-01', college: 'A', major: '机电一体化', grade: '2024', className: '机电1班',
      counselor: counselor.username, guardians: [{ guardianName: '赵敏', relation: '母亲', phone: '13800138001' }], homeAddress: '山东省某市某区 2 号', careTier: 'special',
      specialCategories: { financialHardship: false, disability: false, chronicIllness: true, psychological: false, academic: false, familyChange: false, other: false },
      supportPlan: '每周谈心一次', medicalHistory: '癫痫，需按时服药', familyFinances: '单亲，母亲打零工',
    } },
  });
  expect(archive.body).toMatchObject({ formPath: 'studentArchive' });
  expect((await before.request('PATCH', '/api/students/2024RT0001', { as: counselor, body: { psychologicalFlags: '考试焦虑' } })).status).toBe(200);
  const household = await before.request('POST', '/form/householdSurvey/submission', { as: counselor, body: { data: HOUSEHOLD_DATA }, headers: { 'Idempotency-Key': 'rotation-test:item-0' } });
  expect(household.status).toBe(201);
  householdId = household.body._id;
  firstAnswer = household.body;
  expect((await before.request('POST', '/api/webhooks', { as: officer, body: { url: 'http://127.0.0.1:9/hook', events: ['letter.ready'], secret: 'webhook-signing-secret-1234' } })).status).toBe(201);
  await before.service.stop();

  // …then the service is configured with key B as the current key and A as a previous one.
  t = await startTestService({ HSB_DB_NAME: DB_NAME, HSB_ENCRYPTION_KEY: KEY_B.toString('base64'), HSB_ENCRYPTION_PREVIOUS_KEYS: KEY_A.toString('base64') });
  beforeRotation = await rawCiphertexts();
  plaintexts = opened(beforeRotation, new FieldCipher(KEY_A));
  recordStamps = await stamps();
});
afterAll(async () => {
  await (t ?? before)?.stop();
});

describe('key rotation (npm run keys:rotate)', () => {
  it('starts from data under key A in every store: archives, their history, submissions, stored answers, webhook secrets', () => {
    expect(keyIds(beforeRotation)).toEqual([ID_A]);
    const collections = new Set(beforeRotation.map((c) => c.where.split('/')[0]));
    expect([...collections].sort()).toEqual(['archiverevisions', 'idempotencykeys', 'students', 'submissions', 'webhooksubscriptions']);
  });

  it('a dry run counts what needs the old key and writes nothing', async () => {
    const report = await rotateKeys(rotating, { dryRun: true });
    expect(report.stillNeeded).toEqual({ [ID_A]: beforeRotation.length });
    expect(rewritten(report)).toBe(0);
    expect(await rawCiphertexts()).toEqual(beforeRotation);
  });

  it('an interrupted run stops after the given number of records and the next run takes up the rest', async () => {
    const documents = documentsWith(beforeRotation, ID_A);
    const entries = storeEntriesWith(beforeRotation, ID_A);
    const first = await rotateKeys(rotating, { maxDocuments: 2, guard: 'filter' });
    expect(first.stoppedEarly).toBe(true);
    expect(rewritten(first)).toBe(2);
    expect(rotationComplete(first)).toBe(false);
    expect(describeOutcome(first).join('\n')).toContain('run the command again');
    const halfway = await rawCiphertexts();
    expect(documentsWith(halfway, ID_B)).toBe(2);
    expect(documentsWith(halfway, ID_A)).toBe(documents - 2);

    const second = await rotateKeys(rotating);
    expect(second.stoppedEarly).toBe(false);
    expect(rewritten(second)).toBe(entries - 2);
    expect(second.stillNeeded).toEqual({});
    expect(second.removable).toEqual([ID_A]);
    expect(describeOutcome(second).join('\n')).toContain(`You may remove these keys from HSB_ENCRYPTION_PREVIOUS_KEYS: ${ID_A}`);
  });

  it('leaves only key B in the raw collections, every value unchanged, revisions and modification times untouched', async () => {
    const after = await rawCiphertexts();
    expect(keyIds(after)).toEqual([ID_B]);
    expect(after.map((c) => c.where)).toEqual(beforeRotation.map((c) => c.where));
    expect(opened(after, new FieldCipher(KEY_B))).toEqual(plaintexts);
    expect(await stamps()).toEqual(recordStamps);
  });

  it('the service, without key A, reads everything back as before', async () => {
    await t!.service.stop();
    t = await startTestService({ HSB_DB_NAME: DB_NAME, HSB_ENCRYPTION_KEY: KEY_B.toString('base64') });
    const student = await t.request('GET', '/api/students/2024RT0001', { as: counselor });
    expect(student.body).toMatchObject({ medicalHistory: '癫痫，需按时服药', familyFinances: '单亲，母亲打零工', psychologicalFlags: '考试焦虑', revision: 2 });
    const year = Number(student.body.lastConfirmedYear.slice(0, 4));
    const diff = await t.request('GET', `/api/students/2024RT0001/diff?from=${year - 1}-${year}&to=${student.body.lastConfirmedYear}`, { as: counselor });
    expect(diff.body.changes).toContainEqual({ field: 'medicalHistory', from: null, to: '癫痫，需按时服药', sensitive: true });
    const household = await t.request('GET', `/form/householdSurvey/submission/${householdId}`, { as: counselor });
    expect(household.body.data).toEqual(HOUSEHOLD_DATA);
    const replay = await t.request('POST', '/form/householdSurvey/submission', { as: counselor, body: { data: HOUSEHOLD_DATA }, headers: { 'Idempotency-Key': 'rotation-test:item-0' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(firstAnswer);
  });

  it('a second run of the command changes nothing, says no old key is needed, and prints no secret', async () => {
    {
      const unchanged = await rawCiphertexts();
      const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'rotate-keys.mjs')], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          MONGODB_URI: process.env.HSB_TEST_MONGODB_URI,
          HSB_DB_NAME: DB_NAME,
          HSB_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'hsb-rotate-')),
          HSB_ENCRYPTION_KEY: KEY_B.toString('base64'),
          HSB_ENCRYPTION_PREVIOUS_KEYS: KEY_A.toString('base64'),
        },
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`Current key ${ID_B}; previous keys: ${ID_A}`);
      expect(run.stdout.match(/ 0 rewritten \(0 values\)/g)).toHaveLength(SEALED_STORES.length);
      expect(run.stdout).toContain('no old key is needed any more');
      expect(run.stdout).toContain('不再需要任何旧密钥');
      for (const key of [KEY_A, KEY_B]) expect(run.stdout).not.toContain(key.toString('base64'));
      expect(run.stdout).not.toContain('癫痫');
      expect(await rawCiphertexts()).toEqual(unchanged);
    }
  });

  it('says so when a value was made with a key that is not configured, and never touches it', async () => {
    const strange = new FieldCipher(randomBytes(32));
    const token = strange.encrypt('made elsewhere');
    const submissions = mongoose.connection.db!.collection('submissions');
    await submissions.updateOne({ _id: new mongoose.Types.ObjectId(householdId) }, { $set: { 'sealed.stray': token } });
    const report = await rotateKeys(new FieldCipher(KEY_B));
    expect(report.missingKeys).toEqual([strange.currentKeyId]);
    expect(rotationComplete(report)).toBe(false);
    expect(describeOutcome(report).join('\n')).toContain(`${strange.currentKeyId} (1 values) were made with keys that are not configured`);
    expect((await submissions.findOne({ _id: new mongoose.Types.ObjectId(householdId) }))?.sealed.stray).toBe(token);
    await submissions.updateOne({ _id: new mongoose.Types.ObjectId(householdId) }, { $unset: { 'sealed.stray': '' } });
  });

  it('refuses bad arguments with a message in Chinese and English', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'rotate-keys.mjs'), '--max-documents', 'zero'], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, NODE_ENV: 'test' } });
    expect(run.status).toBe(64);
    expect(run.stdout).toContain('--max-documents needs a whole number');
    expect(run.stdout).toContain('须为不小于 1 的整数');
  });
});
