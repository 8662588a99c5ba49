import { createHmac } from 'node:crypto';
import { startRecordingServer } from '../support/recording-server';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let officer: Credentials;
let counselorA: Credentials;
let counselorB: Credentials;

const SECRET = 'a-long-enough-shared-secret';
const data = {
  studentName: '李娜', parentName: '李军', satisfaction: 'satisfied', opinions: '希望加强安全教育', wantsReply: 'yes',
};

beforeAll(async () => {
  t = await startTestService({ HSB_WEBHOOK_RETRY_BASE_MS: '50', HSB_WEBHOOK_MAX_ATTEMPTS: '3' });
  officer = await t.staff('studentAffairs');
  counselorA = await t.staff('counselor', await t.college('A'));
  counselorB = await t.staff('counselor', await t.college('B'));
});
afterAll(async () => {
  await t.stop();
});

function verify(secret: string, header: string, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  return createHmac('sha256', secret).update(`${match[1]}.${body}`).digest('hex') === match[2];
}

describe('webhook subscriptions and signed deliveries', () => {
  it('delivers submission.created, signed with HMAC-SHA256 over timestamp and body', async () => {
    const receiver = await startRecordingServer();
    const sub = await t.request('POST', '/api/webhooks', { as: officer, body: { url: `${receiver.url}/hook`, events: ['submission.created'], secret: SECRET } });
    expect(sub.status).toBe(201);
    const created = await t.request('POST', '/form/termLetterFeedback/submission', { as: counselorA, body: { data } });
    const [delivery] = await receiver.waitFor(1);
    expect(delivery!.headers['x-hsb-event']).toBe('submission.created');
    expect(verify(SECRET, String(delivery!.headers['x-hsb-signature']), delivery!.body)).toBe(true);
    expect(verify('another-secret-value', String(delivery!.headers['x-hsb-signature']), delivery!.body)).toBe(false);
    const body = JSON.parse(delivery!.body);
    expect(body).toMatchObject({ event: 'submission.created', data: { _id: created.body._id, formPath: 'termLetterFeedback' } });

    const log = await t.request('GET', `/api/webhooks/${sub.body.id}/deliveries`, { as: officer });
    await new Promise((r) => setTimeout(r, 100));
    expect(log.body[0]).toMatchObject({ event: 'submission.created', attempts: 1 });
    await t.request('DELETE', `/api/webhooks/${sub.body.id}`, { as: officer });
    await receiver.close();
  });

  it('retries a failing target with backoff and records each attempt in the delivery log', async () => {
    let calls = 0;
    const receiver = await startRecordingServer(() => (++calls < 3 ? 503 : 200));
    const sub = await t.request('POST', '/api/webhooks', { as: officer, body: { url: receiver.url, events: ['submission.updated'], secret: SECRET } });
    const created = await t.request('POST', '/form/termLetterFeedback/submission', { as: counselorA, body: { data } });
    await t.request('PUT', `/form/termLetterFeedback/submission/${created.body._id}`, { as: counselorA, body: { data: { ...data, opinions: '补充意见' } } });
    await receiver.waitFor(3);
    let log;
    for (let i = 0; i < 40; i += 1) {
      log = await t.request('GET', `/api/webhooks/${sub.body.id}/deliveries`, { as: officer });
      if (log.body[0]?.status === 'delivered') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(log!.body[0]).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
    await t.request('DELETE', `/api/webhooks/${sub.body.id}`, { as: officer });
    await receiver.close();
  });

  it('gives up after the configured attempts and marks the delivery failed', async () => {
    const receiver = await startRecordingServer(() => 500);
    const sub = await t.request('POST', '/api/webhooks', { as: officer, body: { url: receiver.url, events: ['submission.created'], secret: SECRET } });
    await t.request('POST', '/form/termLetterFeedback/submission', { as: counselorA, body: { data } });
    await receiver.waitFor(3);
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.received).toHaveLength(3);
    const log = await t.request('GET', `/api/webhooks/${sub.body.id}/deliveries`, { as: officer });
    expect(log.body[0]).toMatchObject({ status: 'failed', attempts: 3, lastStatusCode: 500 });
    await t.request('DELETE', `/api/webhooks/${sub.body.id}`, { as: officer });
    await receiver.close();
  });

  it('refuses subscriptions from roles without webhooks:manage', async () => {
    const leaderB = await t.staff('collegeLeader', await t.college('B'));
    expect((await t.request('POST', '/api/webhooks', { as: leaderB, body: { url: 'http://127.0.0.1:9/x', events: ['submission.created'], secret: SECRET } })).status).toBe(403);
  });

  it('validates a subscription field by field', async () => {
    const response = await t.request('POST', '/api/webhooks', { as: officer, body: { url: 'ftp://x', events: ['nope'], secret: 'short' } });
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['events[0]', 'secret', 'url']);
  });
});

describe('Idempotency-Key on writes', () => {
  it('replays the first answer for a retried create instead of creating a second record', async () => {
    const headers = { 'Idempotency-Key': 'exec-42:node-1:item-0' };
    const first = await t.request('POST', '/form/termLetterFeedback/submission', { as: counselorB, body: { data }, headers });
    const second = await t.request('POST', '/form/termLetterFeedback/submission', { as: counselorB, body: { data }, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body._id).toBe(first.body._id);
    const list = await t.request('GET', '/form/termLetterFeedback/submission', { as: counselorB });
    expect(list.body).toHaveLength(1);
    const reused = await t.request('POST', '/form/contactLog/submission', { as: counselorB, body: { data }, headers });
    expect(reused.status).toBe(409);
  });
});
