import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedDatabase, type RunningDatabase } from '../../server/db/embedded-database';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

const TIMEOUT_MS = 1_500;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hsb-outage-'));
let database: RunningDatabase;
let t: TestService;
let counselor: Credentials;
let databaseName: string;

beforeAll(async () => {
  database = await startEmbeddedDatabase({ kind: 'ferretdb', dataDir, log: () => undefined });
  t = await startTestService({ HSB_DB_TIMEOUT_MS: String(TIMEOUT_MS), HSB_DB_POOL_SIZE: '1' }, { database });
  databaseName = t.config.databaseName;
  counselor = await t.staff('counselor', await t.college('A'));
  const created = await t.request('POST', '/api/students', {
    as: counselor,
    body: { studentNo: '2024D0001', name: '断线测试', gender: '男', birthDate: '2006-01-01', college: 'A', major: '会计', grade: '2024', className: '会计1班' },
  });
  expect(created.status).toBe(201);
}, 120_000);
afterAll(async () => {
  await t.service.stop();
  await database.stop();
});

describe('while the database is away', () => {
  it('answers 503 quickly, in Chinese and English, with Retry-After — no 500, no hang — and writes nothing', async () => {
    await database.stop();

    for (const [method, route, body] of [
      ['GET', '/api/students?limit=5', undefined],
      ['POST', '/api/contacts', { student: '2024D0001', guardianName: '家长', channel: 'phone', topics: ['grades'], summary: '沟通', parentFeedback: '反馈' }],
      ['PATCH', '/api/students/2024D0001', { homeAddress: '新地址' }],
    ] as const) {
      const started = Date.now();
      const response = await t.request(method, route, { as: counselor, body });
      const took = Date.now() - started;
      expect([route, response.status, response.body.code]).toEqual([route, 503, 'DATABASE_UNAVAILABLE']);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.body.messageZh).toMatch(/数据库暂时无法连接/);
      expect(took).toBeLessThan(TIMEOUT_MS + 3_000);
    }
    const ready = await fetch(`${t.url}/ready`);
    expect(ready.status).toBe(503);

    // The same data folder, served again: nothing of the refused requests is there.
    database = await startEmbeddedDatabase({ kind: 'ferretdb', dataDir, log: () => undefined });
    const client = await mongoose.mongo.MongoClient.connect(database.uri);
    try {
      const db = client.db(databaseName);
      expect(await db.collection('contacts').countDocuments()).toBe(0);
      expect((await db.collection('students').findOne({ studentNo: '2024D0001' }))?.homeAddress).toBeUndefined();
    } finally {
      await client.close();
    }
  }, 60_000);
});
