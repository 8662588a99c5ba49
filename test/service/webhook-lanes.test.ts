import mongoose from 'mongoose';
import { startRecordingServer } from '../support/recording-server';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

const SECRET = 'a-long-enough-shared-secret';
let t: TestService;
let officer: Credentials;
let counselor: Credentials;

beforeAll(async () => {
  // Long enough that the held-up subscriber's first delivery never times out while the test holds it.
  t = await startTestService({ HSB_WEBHOOK_CONCURRENCY: '4', HSB_WEBHOOK_TIMEOUT_MS: '120000' });
  officer = await t.staff('studentAffairs');
  counselor = await t.staff('counselor', await t.college('A'));
});
afterAll(async () => {
  await t.stop();
});

const studentNoOf = (body: string): string => (JSON.parse(body) as { data: { studentNo: string } }).data.studentNo;

describe('event delivery: one lane per subscriber', () => {
  it('delivers to a fast subscriber at once, in order, while a slow one is still answering its first event', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = await startRecordingServer(() => 200, { answerAfter: held });
    const fast = await startRecordingServer();
    for (const receiver of [slow, fast]) {
      expect((await t.request('POST', '/api/webhooks', { as: officer, body: { url: `${receiver.url}/hook`, events: ['archive.updated'], secret: SECRET } })).status).toBe(201);
    }
    const numbers = ['2024W0001', '2024W0002', '2024W0003', '2024W0004', '2024W0005'];
    try {
      for (const studentNo of numbers) {
        const created = await t.request('POST', '/api/students', {
          as: counselor,
          body: { studentNo, name: '事件', gender: '男', birthDate: '2006-01-01', college: 'A', major: '会计', grade: '2024', className: '会计1班' },
        });
        expect(created.status).toBe(201);
      }
      // The slow subscriber's lane is busy: its first delivery arrived and is held unanswered.
      await slow.waitFor(1, 30_000);
      const received = await fast.waitFor(5, 30_000);
      expect(received.map((r) => studentNoOf(r.body))).toEqual(numbers);
      // All five reached the fast subscriber while the slow one still held its first.
      expect(slow.received).toHaveLength(1);
      release();

      // The slow subscriber gets all of its events too, one after another and in the same order.
      const slowReceived = await slow.waitFor(5, 30_000);
      expect(slowReceived.map((r) => studentNoOf(r.body))).toEqual(numbers);
    } finally {
      release();
      await Promise.all([slow.close(), fast.close()]);
    }
  }, 60_000);

  it('keeps a subscriber’s order across a failed attempt: later events wait behind the one being retried', async () => {
    let failFirst = true;
    const flaky = await startRecordingServer(() => {
      if (failFirst) {
        failFirst = false;
        return 503;
      }
      return 200;
    });
    expect((await t.request('POST', '/api/webhooks', { as: officer, body: { url: `${flaky.url}/hook`, events: ['archive.updated'], secret: SECRET } })).status).toBe(201);
    for (const studentNo of ['2024W0101', '2024W0102', '2024W0103']) {
      await t.request('POST', '/api/students', {
        as: counselor,
        body: { studentNo, name: '重试', gender: '女', birthDate: '2006-01-01', college: 'A', major: '会计', grade: '2024', className: '会计1班' },
      });
    }
    const received = await flaky.waitFor(4, 30_000);
    // The first attempt failed (503) and was retried before anything later went out.
    expect(received.map((r) => studentNoOf(r.body))).toEqual(['2024W0101', '2024W0101', '2024W0102', '2024W0103']);
    expect(await mongoose.connection.collection('webhooklaneleases').countDocuments()).toBeLessThanOrEqual(2);
    await flaky.close();
  }, 60_000);
});
