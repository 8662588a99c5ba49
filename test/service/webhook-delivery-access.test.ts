import http from 'node:http';
import mongoose from 'mongoose';
import { startRecordingServer } from '../support/recording-server';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let officer: Credentials;
let counselorA: Credentials;
let counselorB: Credentials;

const SECRET = 'a-long-enough-shared-secret';
const feedback = { studentName: '李娜', parentName: '李军', satisfaction: 'satisfied', opinions: '希望加强安全教育', wantsReply: 'yes' };
let studentCounter = 0;

async function raiseCase(college: 'A' | 'B') {
  studentCounter += 1;
  const student = await t.request('POST', '/api/students', {
    as: officer,
    body: { studentNo: `2024W${String(studentCounter).padStart(4, '0')}`, name: '订阅生', gender: '女', birthDate: '2006-05-01', college, major: '会计', grade: '2024',
      className: '会计1班', counselor: (college === 'A' ? counselorA : counselorB).username, guardians: [{ name: '王建国', relation: '父亲', phone: '13700000000' }] },
  });
  expect(student.status).toBe(201);
  const opened = await t.request('POST', '/api/cases', { as: officer, body: { student: student.body.id, category: 'academic', description: '多门课程不及格' } });
  expect(opened.status).toBe(201);
  return { caseId: opened.body.case.id as string, college: opened.body.case.college as string };
}

async function submitFeedback() {
  expect((await t.request('POST', '/form/termLetterFeedback/submission', { as: counselorA, body: { data: feedback } })).status).toBe(201);
}

/** Queued and finished deliveries of a subscription, as stored. */
async function deliveriesOf(subscriptionId: string) {
  const subscription = new mongoose.Types.ObjectId(subscriptionId);
  const [queued, logged] = await Promise.all(['webhookdeliveries', 'webhookdeliverylog'].map((name) => mongoose.connection.collection(name).find({ subscription }).toArray()));
  return [...queued!, ...logged!];
}

async function settle(ms = 400) {
  await new Promise((r) => setTimeout(r, ms));
}

beforeAll(async () => {
  t = await startTestService({ HSB_WEBHOOK_RETRY_BASE_MS: '50', HSB_WEBHOOK_MAX_ATTEMPTS: '3' });
  officer = await t.staff('studentAffairs');
  counselorA = await t.staff('counselor', await t.college('A'));
  counselorB = await t.staff('counselor', await t.college('B'));
});
afterAll(async () => {
  await t.stop();
});

describe('HSB_WEBHOOK_ALLOWED_HOSTS=127.0.0.1', () => {
  it('allows the listed loopback address and still refuses other internal or unlisted hosts', async () => {
    const receiver = await startRecordingServer();
    const ok = await t.request('POST', '/api/webhooks', { as: officer, body: { url: `${receiver.url}/hook`, events: ['case.closed'], secret: SECRET } });
    expect(ok.status).toBe(201);
    for (const url of ['http://10.0.0.1/hook', 'http://169.254.169.254/', 'https://93.184.215.14/hook']) {
      const refused = await t.request('POST', '/api/webhooks', { as: officer, body: { url, events: ['case.closed'], secret: SECRET } });
      expect(refused.status).toBe(400);
      expect(refused.body.details[0]).toMatchObject({ path: 'url', rule: 'webhookDestination' });
    }
    await t.request('DELETE', `/api/webhooks/${ok.body.id}`, { as: officer });
    await receiver.close();
  });
});

describe('delivery', () => {
  it('does not follow a redirect', async () => {
    const elsewhere = await startRecordingServer();
    const redirecting = http.createServer((req, res) => {
      req.resume();
      res.writeHead(302, { Location: `${elsewhere.url}/internal` }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const port = (redirecting.address() as { port: number }).port;
    const sub = await t.request('POST', '/api/webhooks', { as: officer, body: { url: `http://127.0.0.1:${port}/hook`, events: ['submission.created'], secret: SECRET } });
    await submitFeedback();

    let log;
    for (let i = 0; i < 80 && log?.body[0]?.status !== 'failed'; i += 1) {
      await settle(50);
      log = await t.request('GET', `/api/webhooks/${sub.body.id}/deliveries`, { as: officer });
    }
    expect(log!.body[0]).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 302 });
    expect(log!.body[0].lastError).toContain('redirects are not followed');
    await settle(200);
    expect(elsewhere.received).toHaveLength(0);
    await t.request('DELETE', `/api/webhooks/${sub.body.id}`, { as: officer });
    await new Promise((r) => redirecting.close(r));
    await elsewhere.close();
  });

  it('withholds a pending retry once the owner is deactivated, and records nothing new for them', async () => {
    const owner = await t.staff('studentAffairs');
    let calls = 0;
    const receiver = await startRecordingServer(() => (++calls === 1 ? 503 : 200));
    const sub = await t.request('POST', '/api/webhooks', { as: owner, body: { url: receiver.url, events: ['submission.created'], secret: SECRET } });
    expect(sub.status).toBe(201);
    await mongoose.connection.collection('users').updateOne({ _id: owner.userId }, { $set: { active: false } });
    await submitFeedback(); // recorded for nobody: the owner is no longer active
    expect(await deliveriesOf(sub.body.id)).toHaveLength(0);

    await mongoose.connection.collection('users').updateOne({ _id: owner.userId }, { $set: { active: true } });
    await submitFeedback();
    await receiver.waitFor(1); // first attempt answered 503, a retry is due in 50 ms…
    await mongoose.connection.collection('users').updateOne({ _id: owner.userId }, { $set: { active: false } });
    let delivery;
    for (let i = 0; i < 60 && (!delivery || delivery.status === 'pending'); i += 1) {
      await settle(50);
      [delivery] = await deliveriesOf(sub.body.id);
    }
    expect(receiver.received).toHaveLength(1);
    expect(delivery).toMatchObject({ status: 'withheld', attempts: 1 });
    expect(delivery!.lastError).toContain('deactivated');
    await receiver.close();
  });

  it('sends a key-made subscription only events its scopes can read, and nothing once the key is revoked', async () => {
    const key = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'hooks only', scopes: ['webhooks:manage', 'submissions:read'] } });
    const viaKey: Credentials = { ...officer, cookie: undefined, apiKey: key.body.apiKey };
    const receiver = await startRecordingServer();
    const sub = await t.request('POST', '/api/webhooks', { as: viaKey, body: { url: receiver.url, events: ['case.opened', 'submission.created'], secret: SECRET } });
    expect(sub.status).toBe(201);

    await raiseCase('A'); // case.opened needs students:read, which the key lacks
    await submitFeedback();
    await receiver.waitFor(1);
    await settle();
    expect(receiver.received.map((r) => r.headers['x-hsb-event'])).toEqual(['submission.created']);

    expect((await t.request('DELETE', `/api/api-keys/${key.body.id}`, { as: officer })).status).toBe(204);
    await submitFeedback();
    await settle();
    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  });

  it('follows the owner’s current college: events of a college they cannot see are not delivered', async () => {
    const owner = await t.staff('studentAffairs');
    const receiver = await startRecordingServer();
    const sub = await t.request('POST', '/api/webhooks', { as: owner, body: { url: receiver.url, events: ['case.opened'], secret: SECRET } });
    expect(sub.status).toBe(201);
    // Moved to a counselor post in college B: from now on only college B's records are theirs to see.
    await mongoose.connection.collection('users').updateOne({ _id: owner.userId }, { $set: { role: 'counselor', college: await t.college('B') } });

    await raiseCase('A');
    const inB = await raiseCase('B');
    await receiver.waitFor(1);
    await settle();
    expect(receiver.received.map((r) => JSON.parse(r.body).data.id)).toEqual([inB.caseId]);
    await receiver.close();
  });
});
