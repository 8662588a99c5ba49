import mongoose from 'mongoose';
import { FieldCipher } from '../../server/security/field-cipher';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let officer: Credentials;
let counselorA: Credentials;
let studentId: string;

beforeAll(async () => {
  t = await startTestService();
  const a = await t.college('A');
  officer = await t.staff('studentAffairs');
  counselorA = await t.staff('counselor', a);
  const created = await t.request('POST', '/api/students', {
    as: officer,
    body: { studentNo: '2024I0001', name: '幂等生', gender: '男', birthDate: '2006-05-01', college: 'A', major: '会计', grade: '2024', className: '会计1班',
      counselor: counselorA.username, guardians: [{ name: '王建国', relation: '父亲', phone: '13700000000' }] },
  });
  studentId = created.body.id;
});
afterAll(async () => {
  await t.stop();
});

function contact(summary: string) {
  return { student: studentId, guardianName: '王建国', channel: 'phone', topics: ['grades'], summary, parentFeedback: '家长知悉' };
}

async function contactsOfStudent(): Promise<number> {
  return (await t.request('GET', `/api/contacts?student=${studentId}`, { as: counselorA })).body.total;
}

describe('Idempotency-Key', () => {
  it('10 concurrent requests with one key create one record; the other nine replay its answer', async () => {
    const before = await contactsOfStudent();
    const headers = { 'Idempotency-Key': 'exec-7:log-contact:item-0' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => t.request('POST', '/api/contacts', { as: counselorA, body: contact('并发重试'), headers })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(await contactsOfStudent()).toBe(before + 1);
  });

  it('refuses the same key with another body, naming the header in Chinese and English', async () => {
    const headers = { 'Idempotency-Key': 'exec-8:log-contact:item-0' };
    expect((await t.request('POST', '/api/contacts', { as: counselorA, body: contact('第一次'), headers })).status).toBe(201);
    const reused = await t.request('POST', '/api/contacts', { as: counselorA, body: contact('换了内容'), headers });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: [{ path: 'Idempotency-Key', rule: 'idempotencyKey' }] });
    expect(reused.body.messageZh).toContain('Idempotency-Key');
    expect(reused.body.messageEn).toContain('another body');
    // The same body in another key order is the same request.
    const { summary, ...rest } = contact('第一次');
    const reordered = await t.request('POST', '/api/contacts', { as: counselorA, body: { summary, ...rest }, headers });
    expect(reordered.headers.get('idempotent-replayed')).toBe('true');
  });

  it('a failed first request releases the key for a corrected retry', async () => {
    const before = await contactsOfStudent();
    const headers = { 'Idempotency-Key': 'exec-9:log-contact:item-0' };
    const bad = await t.request('POST', '/api/contacts', { as: counselorA, body: { ...contact('缺少反馈'), parentFeedback: '' }, headers });
    expect(bad.status).toBe(400);
    const fixed = await t.request('POST', '/api/contacts', { as: counselorA, body: contact('补上反馈'), headers });
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    expect(await contactsOfStudent()).toBe(before + 1);
  });

  it('never stores an API key’s secret: the replay withholds it and the stored answer has none', async () => {
    const headers = { 'Idempotency-Key': 'exec-10:create-key:item-0' };
    const body = { name: 'n8n retry', scopes: ['students:read'] };
    const [first, second] = await Promise.all([t.request('POST', '/api/api-keys', { as: officer, body, headers }), t.request('POST', '/api/api-keys', { as: officer, body, headers })]);
    const original = [first!, second!].find((a) => a.headers.get('idempotent-replayed') !== 'true')!;
    const replayed = [first!, second!].find((a) => a.headers.get('idempotent-replayed') === 'true')!;
    expect(original.body.apiKey).toMatch(/^hsb_/);
    expect(replayed.status).toBe(201);
    expect(replayed.body).toMatchObject({ id: original.body.id, apiKey: null });
    expect(replayed.headers.get('idempotent-withheld')).toBe('apiKey');
    const keys = await t.request('GET', '/api/api-keys', { as: officer });
    expect(keys.body.filter((k: { name: string }) => k.name === 'n8n retry')).toHaveLength(1);

    const secret = original.body.apiKey as string;
    const stored = await mongoose.connection.collection('idempotencykeys').find({}).toArray();
    const cipher = new FieldCipher(t.config.encryptionKey!, []);
    const record = stored.find((r) => String(r._id).endsWith(':exec-10:create-key:item-0'))!;
    expect(JSON.stringify(record)).not.toContain(secret.split('_').pop());
    const answer = cipher.decrypt(record.sealedBody) as Record<string, unknown>;
    expect(answer).toMatchObject({ id: original.body.id, apiKey: null });
    expect(JSON.stringify(answer)).not.toContain(secret.split('_').pop());
  });
});

describe('API keys never grant more than their creator holds', () => {
  it('a narrow key cannot mint a broader one, only one within its own scopes', async () => {
    const narrow = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'narrow', scopes: ['apiKeys:manage', 'students:read'] } });
    expect(narrow.status).toBe(201);
    const asNarrow: Credentials = { ...officer, cookie: undefined, apiKey: narrow.body.apiKey };

    const broader = await t.request('POST', '/api/api-keys', { as: asNarrow, body: { name: 'broader', scopes: ['students:read', 'students:write', 'sensitive:read'] } });
    expect(broader.status).toBe(400);
    expect(broader.body.details).toEqual([expect.objectContaining({ path: 'scopes', rule: 'scopeSubset' })]);
    expect(broader.body.details[0].messageEn).toContain('students:write');
    expect(broader.body.details[0].messageEn).toContain('sensitive:read');

    const within = await t.request('POST', '/api/api-keys', { as: asNarrow, body: { name: 'within', scopes: ['students:read'] } });
    expect(within.status).toBe(201);
    const me = await t.request('GET', '/api/auth/me', { as: { ...officer, cookie: undefined, apiKey: within.body.apiKey } });
    expect(me.body.permissions).toEqual(['students:read']);
  });

  it('a user cannot grant scopes their role lacks', async () => {
    const tooMuch = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'too much', scopes: ['users:manage'] } });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.details[0]).toMatchObject({ path: 'scopes', rule: 'scopeSubset' });
  });
});
