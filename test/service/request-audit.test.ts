import { AuditEntryModel } from '../../server/audit/audit-entry.model';
import { StoredFileModel } from '../../server/files/stored-file.model';
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
    expect(await AuditEntryModel.countDocuments({ requestId: retried.headers.get('x-request-id') })).toBeGreaterThan(0);
    expect((await StoredFileModel.findById(photo).lean())?.submission).toBeTruthy();
  });
});
