import { randomBytes } from 'node:crypto';
import FileComponent from '@formio/js/lib/cjs/components/file/File';
import { Utils, type Component } from '@formio/core';
import { withUploadLimit } from '../../server/forms/upload-size-limit';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { openCampaignAroundToday, startUnplanned, visitReportData } from '../support/visit-report-data';

let t: TestService;
let counselorA: Credentials;
let counselorB: Credentials;
let campaign: string;
let nextStudent = 0;

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 1)]);
/** A different photo each call: the same bytes twice count as one photo. */
const photo = () => Buffer.concat([JPEG.subarray(0, 4), randomBytes(200)]);

async function upload(as: Credentials, content: Buffer, name = '照片.jpg') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), name);
  const response = await fetch(`${t.url}/api/files`, { method: 'POST', headers: { Cookie: as.cookie! }, body: form });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  t = await startTestService({ HSB_UPLOAD_MAX_BYTES: '2048' });
  const A = await t.college('A');
  counselorA = await t.staff('counselor', A);
  counselorB = await t.staff('counselor', await t.college('B'));
  await seedArchives(A, 'A', 10);
  campaign = await openCampaignAroundToday(t, await t.staff('studentAffairs'), ['A']);
});
afterAll(async () => {
  await t.stop();
});

/** Starts the report of an unplanned visit of the next student and submits it with the visit-report form. */
async function submitVisit(mode: string, photos: Array<{ url: string; name: string; originalName: string }>) {
  const report = await startUnplanned(t, counselorA, campaign, seededNumber('A', nextStudent++), mode);
  return t.request('POST', '/form/visitReport/submission', { as: counselorA, body: { data: visitReportData(report, photos) } });
}

describe('uploads and the visit-report photo rule (D7)', () => {
  it('stores an accepted upload and serves it only to its uploader until it is linked', async () => {
    const stored = await upload(counselorA, JPEG);
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ type: 'image/jpeg', size: JPEG.length });
    const own = await fetch(stored.body.url, { headers: { Cookie: counselorA.cookie! } });
    expect(own.status).toBe(200);
    expect(Buffer.from(await own.arrayBuffer()).equals(JPEG)).toBe(true);
    const other = await fetch(stored.body.url, { headers: { Cookie: counselorB.cookie! } });
    expect(other.status).toBe(404);
  });

  it('rejects files over the size limit (413) and of unaccepted types (415), whatever their name says', async () => {
    expect((await upload(counselorA, Buffer.concat([JPEG, Buffer.alloc(4096)]))).status).toBe(413);
    const script = await upload(counselorA, Buffer.from('<script>alert(1)</script>'), 'photo.jpg');
    expect(script.status).toBe(415);
    expect(script.body.messageZh).toMatch(/只接受/);
  });

  it('rejects an on-site report with fewer than 4 photos, with the reason under the photos field', async () => {
    const photos = await Promise.all([1, 2].map(async () => {
      const u = await upload(counselorA, photo(), 'IMG_0001.jpg');
      return { url: u.body.url, name: u.body.name, originalName: 'IMG_0001.jpg', storage: 'url' };
    }));
    const response = await submitVisit('onsite', photos);
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([expect.objectContaining({ path: 'photos', rule: 'photoCount', message: '实地家访至少需要 4 张照片（有效 2 张）' })]);

    // The refused report keeps its draft and its photos; an online visit needs 2 of its own.
    const online = await submitVisit('video', await Promise.all([1, 2].map(async () => {
      const u = await upload(counselorA, photo(), 'IMG_0002.jpg');
      return { url: u.body.url, name: u.body.name, originalName: 'IMG_0002.jpg', storage: 'url' };
    })));
    expect(online.status).toBe(201);
    expect(online.body.metadata.linked).toMatchObject({ type: 'visitReport' });
  });

  it('refuses to reference somebody else’s upload', async () => {
    const theirs = await upload(counselorB, JPEG);
    const mine = await upload(counselorA, JPEG);
    const photos = [theirs, mine].map((u) => ({ url: u.body.url, name: 'x.jpg', originalName: 'x.jpg', storage: 'url' }));
    const response = await submitVisit('video', photos);
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'photos', rule: 'fileOwner' })]));
  });

  it('lets whoever may read the report read its linked photos, and nobody else', async () => {
    const photos = await Promise.all([1, 2].map(async () => {
      const u = await upload(counselorA, photo());
      return { url: u.body.url, name: 'a.jpg', originalName: 'a.jpg', storage: 'url' };
    }));
    const created = await submitVisit('phone', photos);
    expect(created.status).toBe(201);
    const leader = await t.staff('collegeLeader', await t.college('A'));
    expect((await fetch(photos[0]!.url, { headers: { Cookie: leader.cookie! } })).status).toBe(200);
    expect((await fetch(photos[0]!.url, { headers: { Cookie: counselorB.cookie! } })).status).toBe(404);
  });
});

describe('one upload limit for forms and service (HSB_UPLOAD_MAX_BYTES)', () => {
  /** The size @formio/js's file component enforces in the browser, read with its own parser. */
  const browserLimit = (component: Component & { fileMaxSize?: string }) =>
    FileComponent.prototype.translateScalars.call(undefined, component.fileMaxSize) as unknown;

  it('every served file component promises exactly what the upload endpoint accepts', async () => {
    const forms = (await t.request('GET', '/form?limit=100', { as: counselorA })).body as Array<{ path: string; components: Component[] }>;
    const limits: Array<[string, unknown]> = [];
    for (const form of forms) {
      Utils.eachComponent(form.components, (component: Component) => {
        if (component.type === 'file') limits.push([`${form.path}.${component.key}`, browserLimit(component)]);
      }, true);
    }
    expect(limits).toEqual([['visitReport.photos', 2048], ['visitReport.media', 2048]]);

    const atLimit = Buffer.concat([JPEG, Buffer.alloc(2048 - JPEG.length)]);
    expect((await upload(counselorA, atLimit)).status).toBe(201);
    expect((await upload(counselorA, Buffer.concat([atLimit, Buffer.alloc(1)]))).status).toBe(413);
  });

  it('a definition may ask for less than the service accepts, never more', () => {
    const components = [
      { type: 'file', key: 'small', input: true, fileMaxSize: '1KB' },
      { type: 'panel', key: 'panel', input: false, components: [{ type: 'file', key: 'large', input: true, fileMaxSize: '200MB' }] },
    ] as unknown as Component[];
    const served = withUploadLimit(components, 2048) as Array<Component & { fileMaxSize?: string; components?: Array<{ fileMaxSize?: string }> }>;
    expect(served[0]!.fileMaxSize).toBe('1KB');
    expect(served[1]!.components![0]!.fileMaxSize).toBe('2KB');
    expect((components[1] as unknown as { components: Array<{ fileMaxSize: string }> }).components[0]!.fileMaxSize).toBe('200MB');
  });
});
