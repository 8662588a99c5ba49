import mongoose from 'mongoose';
import { moveFinishedOutOfQueue } from '../../server/webhooks/delivery-outcomes';
import { startRecordingServer } from '../support/recording-server';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let officer: Credentials;
let counselor: Credentials;

const SECRET = 'a-long-enough-shared-secret';
const feedback = (i: number) => ({ studentName: '李娜', parentName: '李军', satisfaction: 'satisfied', opinions: `意见 ${i}`, wantsReply: 'no' });
const queue = () => mongoose.connection.collection('webhookdeliveries');
const log = () => mongoose.connection.collection('webhookdeliverylog');

beforeAll(async () => {
  // A failed attempt waits a minute for its retry: it stays in the queue for the whole test.
  t = await startTestService({ HSB_WEBHOOK_RETRY_BASE_MS: '60000', HSB_WEBHOOK_MAX_ATTEMPTS: '3' });
  officer = await t.staff('studentAffairs');
  counselor = await t.staff('counselor', await t.college('A'));
});
afterAll(async () => {
  await t.stop();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the delivery queue and the delivery log', () => {
  it('moves a finished delivery out of the queue and lists queue and log as one log, newest first, page by page', async () => {
    let calls = 0;
    const receiver = await startRecordingServer(() => (++calls <= 3 ? 200 : 503));
    const sub = await t.request('POST', '/api/webhooks', { as: officer, body: { url: `${receiver.url}/hook`, events: ['submission.created'], secret: SECRET } });
    expect(sub.status).toBe(201);
    const subscription = new mongoose.Types.ObjectId(String(sub.body.id));
    for (let i = 1; i <= 5; i += 1) {
      expect((await t.request('POST', '/form/termLetterFeedback/submission', { as: counselor, body: { data: feedback(i) } })).status).toBe(201);
    }
    await receiver.waitFor(4);
    const logged = await until(() => log().find({ subscription }).toArray(), (docs) => docs.length === 3);

    // Three delivered and recorded in the log only; the fourth failed once and waits, the fifth behind it.
    expect(logged.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
    const queued = await until(() => queue().find({ subscription }).sort({ createdAt: 1, _id: 1 }).toArray(), (docs) => docs[0]?.attempts === 1);
    expect(queued.map((d) => [d.status, d.attempts, d.lastStatusCode ?? null])).toEqual([['pending', 1, 503], ['pending', 0, null]]);
    expect(new Set([...logged, ...queued].map((d) => String(d._id))).size).toBe(5);
    // The move is audited as what it is: entries created in the log, deleted from the queue.
    const audited = async (resourceType: string, action: string) =>
      (await mongoose.connection.collection('auditentries').find({ resourceType, action }).toArray()).reduce((sum, e) => sum + (e.count ?? 1), 0);
    // Each entry is written right after its write, so possibly a moment after the collections show it.
    expect(await until(() => audited('webhookDeliveryLog', 'create'), (n) => n === 3)).toBe(3);
    expect(await until(() => audited('webhookDelivery', 'delete'), (n) => n === 3)).toBe(3);

    const all = await t.request('GET', `/api/webhooks/${sub.body.id}/deliveries?limit=10`, { as: officer });
    expect(all.status).toBe(200);
    expect(all.body.map((d: { status: string }) => d.status)).toEqual(['pending', 'pending', 'delivered', 'delivered', 'delivered']);
    expect(all.body[1]).toMatchObject({ attempts: 1, lastStatusCode: 503, lastError: 'HTTP 503' });
    expect(all.body[2].lastError).toBeUndefined();
    const times = all.body.map((d: { createdAt: string }) => Date.parse(d.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // The order the receiver saw is the order of the log, oldest last.
    const sent = receiver.received.map((r) => String(r.headers['x-hsb-delivery']));
    expect(all.body.slice(1).map((d: { id: string }) => d.id).reverse()).toEqual(sent);

    const ids = all.body.map((d: { id: string }) => d.id);
    for (const [skip, limit] of [[0, 2], [1, 2], [2, 2], [3, 5], [5, 5]]) {
      const pageOf = await t.request('GET', `/api/webhooks/${sub.body.id}/deliveries?skip=${skip}&limit=${limit}`, { as: officer });
      expect(pageOf.body.map((d: { id: string }) => d.id)).toEqual(ids.slice(skip, skip + limit));
    }
    await t.request('DELETE', `/api/webhooks/${sub.body.id}`, { as: officer });
    await receiver.close();
  });

  it('lists a delivery found in both once, and an old finished one still queued in its place by time', async () => {
    const receiver = await startRecordingServer();
    const sub = await t.request('POST', '/api/webhooks', { as: officer, body: { url: `${receiver.url}/quiet`, events: ['case.closed'], secret: SECRET } });
    expect(sub.status).toBe(201);
    const subscription = new mongoose.Types.ObjectId(String(sub.body.id));
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const row = (h: number, status: string, extra: Record<string, unknown> = {}) => ({
      _id: new mongoose.Types.ObjectId(), subscription, event: 'case.closed', body: '{}', status, attempts: status === 'pending' ? 0 : 1,
      nextAttemptAt: status === 'pending' ? new Date(Date.now() + 86_400_000) : hoursAgo(h), createdAt: hoursAgo(h), updatedAt: hoursAgo(h), ...extra,
    });
    const oldFinished = row(4, 'delivered'); // finished before an upgrade, not yet moved
    const first = row(3, 'delivered');
    const both = row(2, 'pending'); // the log written, the queue not yet emptied
    const latest = row(1, 'failed', { lastError: 'HTTP 500' });
    const waiting = row(0.5, 'pending');
    await queue().insertMany([oldFinished, both, waiting]);
    await log().insertMany([first, { ...both, status: 'delivered', attempts: 1 }, latest]);

    const all = await t.request('GET', `/api/webhooks/${sub.body.id}/deliveries?limit=10`, { as: officer });
    expect(all.body.map((d: { id: string; status: string }) => [d.id, d.status])).toEqual([
      [String(waiting._id), 'pending'],
      [String(latest._id), 'failed'],
      [String(both._id), 'delivered'],
      [String(first._id), 'delivered'],
      [String(oldFinished._id), 'delivered'],
    ]);
    const ids = all.body.map((d: { id: string }) => d.id);
    for (const [skip, limit] of [[0, 1], [1, 2], [2, 2], [4, 3]]) {
      const pageOf = await t.request('GET', `/api/webhooks/${sub.body.id}/deliveries?skip=${skip}&limit=${limit}`, { as: officer });
      expect(pageOf.body.map((d: { id: string }) => d.id)).toEqual(ids.slice(skip, skip + limit));
    }
    const tooDeep = await t.request('GET', `/api/webhooks/${sub.body.id}/deliveries?skip=20000`, { as: officer });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.details[0]).toMatchObject({ path: 'skip' });
    await queue().deleteMany({ subscription });
    await log().deleteMany({ subscription });
    await t.request('DELETE', `/api/webhooks/${sub.body.id}`, { as: officer });
    await receiver.close();
  });

  it('moves deliveries finished before the queue and the log were apart, keeping a record the log already holds', async () => {
    const subscription = new mongoose.Types.ObjectId();
    const at = new Date(Date.now() - 86_400_000);
    const later = new Date(Date.now() + 86_400_000);
    const base = { subscription, event: 'submission.created', body: '{}', nextAttemptAt: at, createdAt: at, updatedAt: at };
    const delivered = { ...base, _id: new mongoose.Types.ObjectId(), status: 'delivered', attempts: 1, lastStatusCode: 200, deliveredAt: at };
    const failed = { ...base, _id: new mongoose.Types.ObjectId(), status: 'failed', attempts: 6, lastError: 'HTTP 500' };
    const waiting = { ...base, _id: new mongoose.Types.ObjectId(), status: 'pending', attempts: 2, nextAttemptAt: later };
    await queue().insertMany([delivered, failed, waiting]);
    // As a process that died between writing the log and emptying the queue leaves it.
    await log().insertOne({ ...delivered, attempts: 2 });

    expect(await moveFinishedOutOfQueue()).toBe(2);

    expect((await queue().find({ subscription }).toArray()).map((d) => String(d._id))).toEqual([String(waiting._id)]);
    const moved = await log().find({ subscription }).sort({ _id: 1 }).toArray();
    expect(moved.map((d) => [String(d._id), d.status, d.attempts])).toEqual([
      [String(delivered._id), 'delivered', 2],
      [String(failed._id), 'failed', 6],
    ]);
    expect(await moveFinishedOutOfQueue()).toBe(0);
    await queue().deleteMany({ subscription });
    await log().deleteMany({ subscription });
  });
});
