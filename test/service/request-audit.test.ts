import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { AuditEntryModel } from '../../server/audit/audit-entry.model';
import { auditPerRequest } from '../../server/audit/request-audit';
import { errorHandler } from '../../server/http/error-handler';
import { recordAudit } from '../../server/audit/audit.service';
import { runWithContext } from '../../server/http/request-context';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { jpeg, openCampaignAroundToday, startUnplanned, upload } from '../support/visit-report-data';

let t: TestService;
let counselor: Credentials;
let campaign: string;
let nextStudent = 0;

beforeAll(async () => {
  t = await startTestService();
  const A = await t.college('A');
  counselor = await t.staff('counselor', A);
  await seedArchives(A, 'A', 5);
  campaign = await openCampaignAroundToday(t, await t.staff('studentAffairs'), ['A']);
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  jest.restoreAllMocks();
});

/** A draft save that names four new uploads: four claims of uploads, the revision claim and the report itself are written. */
async function saveWithPhotos() {
  const report = await startUnplanned(t, counselor, campaign, seededNumber('A', nextStudent++), 'onsite');
  const photos = await Promise.all([1, 2, 3, 4].map(async (n) => (await upload(t, counselor, jpeg(), `IMG_000${n}.jpg`)).id));
  const inserts = jest.spyOn(AuditEntryModel, 'insertMany');
  const response = await t.request('PATCH', `/api/visit-reports/${encodeURIComponent(report.id)}`, { as: counselor, body: { metWith: '学生母亲', photos } });
  return { report, photos, inserts, response };
}

describe('the audit entries of a request', () => {
  it('are written together, in one insert, before the answer: every write of the request is there', async () => {
    const { report, photos, inserts, response } = await saveWithPhotos();
    expect(response.status).toBe(200);
    expect(inserts).toHaveBeenCalledTimes(1);

    const requestId = response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    const entries = await AuditEntryModel.find({ requestId }).lean();
    expect(entries.map((e) => `${e.resourceType}:${e.resourceId}`).sort()).toEqual(
      [...photos.map((id) => `file:${id}`), `visitReportRevision:${report.id}:2`, `visitReport:${report.id}`].sort(),
    );
    expect(entries.every((e) => e.actor?.username === counselor.username)).toBe(true);
  });

  it('withhold the answer when they cannot be written: the caller gets an error, not a success', async () => {
    const report = await startUnplanned(t, counselor, campaign, seededNumber('A', nextStudent++), 'onsite');
    const photo = (await upload(t, counselor, jpeg(), 'IMG_0005.jpg')).id;
    jest.spyOn(AuditEntryModel, 'insertMany').mockRejectedValueOnce(new Error('audit log unavailable'));
    const response = await t.request('PATCH', `/api/visit-reports/${encodeURIComponent(report.id)}`, { as: counselor, body: { metWith: '学生父亲', photos: [photo] } });
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(response.body).toMatchObject({ code: expect.any(String) });
    // The next request is audited as usual.
    const retried = await t.request('PATCH', `/api/visit-reports/${encodeURIComponent(report.id)}`, { as: counselor, body: { metWith: '学生父亲', photos: [photo] } });
    expect(retried.status).toBe(200);
    expect(await AuditEntryModel.countDocuments({ requestId: retried.headers.get('x-request-id'), resourceType: 'visitReport' })).toBe(1);
  });

  it('keep an idempotent request from replaying a success whose entries were never written', async () => {
    const student = seededNumber('A', nextStudent++);
    const body = { campaign, student, reason: '学生家中突发变故，临时走访', mode: 'phone' };
    const headers = { 'Idempotency-Key': `audit-${student}` };
    const failing = jest.spyOn(AuditEntryModel, 'insertMany').mockRejectedValue(new Error('audit log unavailable'));
    const first = await t.request('POST', '/api/visit-reports', { as: counselor, body, headers });
    expect(first.status).toBeGreaterThanOrEqual(500);
    failing.mockRestore();

    const retried = await t.request('POST', '/api/visit-reports', { as: counselor, body, headers });
    expect([200, 201]).toContain(retried.status);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await AuditEntryModel.countDocuments({ requestId: retried.headers.get('x-request-id') })).toBeGreaterThan(0);
  });

  it('do not hold back a read of sensitive fields: it is on record before the request goes on', async () => {
    const pendingAudit: Array<Record<string, unknown>> = [];
    const resourceId = `probe-${Date.now()}`;
    await runWithContext({ requestId: resourceId, pendingAudit }, async () => {
      await recordAudit({ action: 'read-sensitive', resourceType: 'student', resourceId, fields: ['medicalHistory'] });
      await recordAudit({ action: 'update', resourceType: 'student', resourceId, fields: ['name'] });
    });
    expect(await AuditEntryModel.find({ resourceId }).lean()).toEqual([expect.objectContaining({ action: 'read-sensitive', requestId: resourceId })]);
    expect(pendingAudit).toEqual([expect.objectContaining({ action: 'update', resourceId })]);
  });

  it('keep the first answer: a handler that answers and then throws while they are written does not rewrite it', async () => {
    const app = express();
    const log = pino({ level: 'silent' });
    app.use((req, _res, next) => {
      req.log = log;
      runWithContext({ requestId: 'answer-then-throw' }, next);
    });
    app.use(auditPerRequest(log));
    app.post('/probe', async (_req, res) => {
      await recordAudit({ action: 'update', resourceType: 'probe', resourceId: 'answer-then-throw' });
      res.json({ kept: true });
      throw new Error('after the answer');
    });
    app.use(errorHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/probe`, { method: 'POST' });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ kept: true });
      expect(await AuditEntryModel.countDocuments({ resourceType: 'probe', resourceId: 'answer-then-throw' })).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

