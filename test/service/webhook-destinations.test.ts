import mongoose from 'mongoose';
import { ConfigError, loadConfig } from '../../server/config/config';
import { FieldCipher } from '../../server/security/field-cipher';
import { startRecordingServer } from '../support/recording-server';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let officer: Credentials;
let counselorA: Credentials;

const SECRET = 'a-long-enough-shared-secret';

beforeAll(async () => {
  // The production default: no allow-list, so only hosts on public addresses.
  t = await startTestService({ HSB_WEBHOOK_ALLOWED_HOSTS: '', HSB_WEBHOOK_RETRY_BASE_MS: '50', HSB_WEBHOOK_MAX_ATTEMPTS: '3' });
  officer = await t.staff('studentAffairs');
  counselorA = await t.staff('counselor', await t.college('A'));
});
afterAll(async () => {
  await t.stop();
});

describe('webhook destinations (no allow-list)', () => {
  it.each([
    'http://127.0.0.1:9/hook',
    'http://localhost:9/hook',
    'http://2130706433/hook',
    'http://0.0.0.0:9/hook',
    'http://10.1.2.3/hook',
    'http://172.20.0.5/hook',
    'http://192.168.1.10/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]:9/hook',
    'http://[::ffff:127.0.0.1]:9/hook',
    'http://[fe80::1]/hook',
  ])('refuses %s, naming the field in Chinese and English', async (url) => {
    const response = await t.request('POST', '/api/webhooks', { as: officer, body: { url, events: ['submission.created'], secret: SECRET } });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([expect.objectContaining({ path: 'url', rule: 'webhookDestination' })]);
    expect(response.body.details[0].message).toContain('HSB_WEBHOOK_ALLOWED_HOSTS');
    expect(response.body.details[0].messageEn).toMatch(/loopback, private or link-local/);
  });

  it('accepts a host on a public address', async () => {
    const response = await t.request('POST', '/api/webhooks', { as: officer, body: { url: 'https://93.184.215.14/hook', events: ['case.closed'], secret: SECRET } });
    expect(response.status).toBe(201);
    await t.request('DELETE', `/api/webhooks/${response.body.id}`, { as: officer });
  });

  it('checks the resolved address again at delivery time: a name now pointing at loopback is not called', async () => {
    const receiver = await startRecordingServer();
    const port = new URL(receiver.url).port;
    // As if `localhost` had been a public name when subscribed and was re-pointed since (DNS rebinding).
    const cipher = new FieldCipher(t.config.encryptionKey!, []);
    const { insertedId } = await mongoose.connection.collection('webhooksubscriptions').insertOne({
      url: `http://localhost:${port}/hook`,
      events: ['submission.created'],
      sealedSecret: cipher.encrypt(SECRET),
      owner: officer.userId,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const data = { studentName: '李娜', parentName: '李军', satisfaction: 'satisfied', opinions: '希望加强安全教育', wantsReply: 'yes' };
    expect((await t.request('POST', '/form/termLetterFeedback/submission', { as: counselorA, body: { data } })).status).toBe(201);

    let delivery;
    for (let i = 0; i < 80 && delivery?.status !== 'failed'; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      delivery = await mongoose.connection.collection('webhookdeliverylog').findOne({ subscription: insertedId });
    }
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1 });
    expect(delivery!.lastError).toMatch(/127\.0\.0\.1, a loopback/);
    expect(receiver.received).toHaveLength(0);
    await receiver.close();
  });
});

describe('HSB_WEBHOOK_ALLOWED_HOSTS', () => {
  it('accepts host names, *.domains, addresses and CIDR ranges, and names every bad entry', () => {
    expect(loadConfig({ HSB_WEBHOOK_ALLOWED_HOSTS: 'n8n.example.edu, *.campus.edu,127.0.0.1,10.20.0.0/16,::1' }).webhookDelivery.allowedHosts).toEqual([
      'n8n.example.edu', '*.campus.edu', '127.0.0.1', '10.20.0.0/16', '::1',
    ]);
    expect(() => loadConfig({ HSB_WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/33,bad host,http://x' })).toThrow(ConfigError);
    try {
      loadConfig({ HSB_WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/33,bad host,http://x' });
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });
});
