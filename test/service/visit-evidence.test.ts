import { loadConfig } from '../../server/config/config';
import { visitEvidenceProblems, type InspectedEntry } from '../../server/forms/visit-photo-rule';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { fileEntry, jpeg, mp4, openCampaignAroundToday, pdf, png, startUnplanned, upload as uploadAs, visitReportData, type Uploaded } from '../support/visit-report-data';

/**
 * D7 evidence as the visit-report form sends it: each submission names a report (started here for an
 * unplanned visit of the next seeded student) and the reports service checks the campaign's rule.
 */

let t: TestService;
let counselor: Credentials;
let otherCounselor: Credentials;
let campaign: string;
let nextStudent = 0;

const upload = (as: Credentials, content: Buffer, name: string) => uploadAs(t, as, content, name);
const entry = (u: Uploaded) => fileEntry(t, u);

async function photos(count: number, as = counselor) {
  return Promise.all(Array.from({ length: count }, (_, i) => upload(as, i % 2 ? png() : jpeg(), `IMG_${i + 1}.${i % 2 ? 'png' : 'jpg'}`).then(entry)));
}

/** A report of a fresh unplanned visit made in `mode`, with the given evidence, submitted through the form. */
async function submit(mode: string, photoEntries: unknown[], media: unknown[] = [], as = counselor) {
  const studentNo = seededNumber('A', nextStudent++);
  const report = await startUnplanned(t, as, campaign, studentNo, mode);
  const response = await t.request('POST', '/form/visitReport/submission', { as, body: { data: visitReportData(report, photoEntries, media) } });
  return Object.assign(response, { studentNo, reportId: report.id });
}

const messages = (body: { details: Array<{ message: string }> }) => body.details.map((d) => d.message);

beforeAll(async () => {
  t = await startTestService();
  const A = await t.college('A');
  const officer = await t.staff('studentAffairs');
  counselor = await t.staff('counselor', A);
  otherCounselor = await t.staff('counselor', A);
  await seedArchives(A, 'A', 60, (i) => ({ name: `陈静${i}` }));
  campaign = await openCampaignAroundToday(t, officer, ['A']);
});
afterAll(async () => {
  await t.stop();
});

describe('visit-report evidence: distinct images uploaded here (D7)', () => {
  it('D7: refuses one stored photo named four times, naming each repeat, and saves nothing', async () => {
    const [one] = await photos(1);
    const response = await submit('onsite', [one, one, one, one]);
    expect(response.status).toBe(400);
    expect(messages(response.body)).toEqual([
      '家访照片第 2 项（IMG_1.jpg）与第 1 项（IMG_1.jpg）是同一个文件，重复的只计一次',
      '家访照片第 3 项（IMG_1.jpg）与第 1 项（IMG_1.jpg）是同一个文件，重复的只计一次',
      '家访照片第 4 项（IMG_1.jpg）与第 1 项（IMG_1.jpg）是同一个文件，重复的只计一次',
    ]);
    expect(response.body.details.every((d: { path: string; rule: string }) => d.path === 'photos' && d.rule === 'photosDuplicate')).toBe(true);
    expect((await t.request('GET', `/api/visit-reports/${response.reportId}`, { as: counselor })).body).toMatchObject({ revision: 1, photos: [] });
  });

  it('counts the same bytes uploaded four times once (content hash)', async () => {
    const bytes = jpeg();
    const copies = await Promise.all([1, 2, 3, 4].map((i) => upload(counselor, bytes, `copy-${i}.jpg`).then(entry)));
    expect(new Set(copies.map((c) => c.url)).size).toBe(4);
    const response = await submit('onsite', copies);
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { rule: string }) => d.rule)).toEqual(['photoCount', 'photosDuplicate', 'photosDuplicate', 'photosDuplicate']);
    expect(messages(response.body)[0]).toBe('实地家访至少需要 4 张照片（有效 1 张）');
    expect(messages(response.body)[3]).toBe('家访照片第 4 项（copy-4.jpg）与第 1 项（copy-1.jpg）是同一个文件，重复的只计一次');
  });

  it('D7: refuses a foreign URL and a look-alike URL as evidence, naming each entry', async () => {
    const real = await photos(3);
    const stored = await upload(counselor, jpeg(), 'mine.jpg');
    const foreign = { storage: 'url', name: 'web.jpg', originalName: 'web.jpg', url: 'https://example.com/photos/web.jpg', type: 'image/jpeg' };
    const lookAlike = { ...entry(stored), originalName: 'elsewhere.jpg', url: `https://example.com/mirror?u=/api/files/${stored.id}` };
    const response = await submit('onsite', [...real, foreign, lookAlike]);
    expect(response.status).toBe(400);
    expect(messages(response.body)).toEqual([
      '家访照片第 4 项（web.jpg）应为本系统上传文件的编号或地址',
      '家访照片第 5 项（elsewhere.jpg）应为本系统上传文件的编号或地址',
    ]);
    expect(response.body.details.map((d: { path: string; rule: string }) => `${d.path}:${d.rule}`)).toEqual(['photos:fileRef', 'photos:fileRef']);
  });

  it('D7: does not count a PDF or a video as a photo, and names each entry', async () => {
    const real = await photos(3);
    const scan = entry(await upload(counselor, pdf(), 'scan.jpg'));
    const clip = entry(await upload(counselor, mp4(), 'clip.jpg'));
    const response = await submit('onsite', [...real, scan, clip]);
    expect(response.status).toBe(400);
    expect(messages(response.body)).toEqual([
      '实地家访至少需要 4 张照片（有效 3 张）',
      '家访照片第 4 项（scan.jpg）是 PDF 文件，不是图片，不计入照片（视频或音频请放在“视频或音频”中）',
      '家访照片第 5 项（clip.jpg）是视频，不是图片，不计入照片（视频或音频请放在“视频或音频”中）',
    ]);
    expect(response.body.details.map((d: { rule: string }) => d.rule)).toEqual(['photoCount', 'photosType', 'photosType']);
  });

  it('names an entry without the markup its file name may carry', async () => {
    const trap = entry(await upload(counselor, pdf(), '<img src=x onerror=alert(1)>.jpg'));
    const response = await submit('video', [...(await photos(2)), trap]);
    expect(response.status).toBe(400);
    expect(messages(response.body)).toEqual(['家访照片第 3 项（img src=x onerror=alert(1).jpg）是 PDF 文件，不是图片，不计入照片（视频或音频请放在“视频或音频”中）']);
  });

  it('refuses an upload of somebody else, and one already used as evidence of another report', async () => {
    const theirs = (await photos(1, otherCounselor))[0]!;
    const mine = await photos(1);
    const refused = await submit('video', [...mine, theirs]);
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'photos', rule: 'fileOwner', message: '引用了不存在或无权使用的上传文件' })]);

    const first = await photos(2);
    expect((await submit('video', first)).status).toBe(201);
    const reused = await submit('video', [first[0], ...(await photos(1))]);
    expect(reused.status).toBe(400);
    expect(reused.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'fileOwner', path: 'photos' })]));
  });

  it('lets only one of two reports sent at once take the same photos as evidence', async () => {
    const shared = await photos(2);
    const answers = await Promise.all([submit('video', shared), submit('video', shared)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400]);
    const loser = answers.find((a) => a.status === 400)!;
    // Lost the conditional claim, or found the photos already claimed: either way on the photos field.
    expect(loser.body.details).toEqual([expect.objectContaining({ path: 'photos', rule: expect.stringMatching(/^(CONFLICT|fileOwner)$/) })]);
    const winner = answers.find((a) => a.status === 201)!;
    // Every photo belongs to the saved report: its download is named after its student and position there.
    for (const [i, photo] of shared.entries()) {
      const download = await fetch(photo.url, { headers: { Cookie: counselor.cookie! } });
      expect(download.headers.get('content-disposition')).toContain(encodeURIComponent(`${winner.studentNo}-陈静${Number(winner.studentNo.slice(1))}-家访-${i + 1}`));
    }
    expect((await t.request('GET', `/api/visit-reports/${winner.reportId}`, { as: counselor })).body.photos).toEqual(shared.map((p) => p.data.id));
    expect((await t.request('GET', `/api/visit-reports/${loser.reportId}`, { as: counselor })).body.photos).toEqual([]);
  });

  it('passes exactly the minimum of distinct images per mode and refuses one fewer, with the mode’s message', async () => {
    const cases: Array<[string, number, string]> = [
      ['onsite', 4, '实地家访至少需要 4 张照片（有效 3 张）'],
      ['video', 2, '网络视频家访至少需要 2 张照片（有效 1 张）'],
      ['phone', 1, '电话家访至少需要 1 张通话记录截图（有效 0 张）'],
    ];
    for (const [mode, minimum, message] of cases) {
      const fewer = await submit(mode, await photos(minimum - 1));
      expect(fewer.status).toBe(400);
      expect(fewer.body.details).toEqual([expect.objectContaining({ path: 'photos', rule: 'photoCount', message, context: expect.objectContaining({ key: 'photos' }) })]);
      const enough = await submit(mode, await photos(minimum));
      expect(enough.status).toBe(201);
    }
  });

  it('a phone visit needs one screenshot of the call log; video and audio are optional and kept apart from photos', async () => {
    const screenshot = entry(await upload(counselor, png(), '通话记录.png'));
    const recording = entry(await upload(counselor, mp4(), '通话录像.mp4'));
    const withMedia = await submit('phone', [screenshot], [recording]);
    expect(withMedia.status).toBe(201);
    const person = `${withMedia.studentNo}-陈静${Number(withMedia.studentNo.slice(1))}`;
    const nameOf = async (u: { url: string }) => (await fetch(u.url, { headers: { Cookie: counselor.cookie! } })).headers.get('content-disposition');
    expect(await nameOf(screenshot)).toContain(encodeURIComponent(`${person}-家访-1.png`));
    expect(await nameOf(recording)).toContain(encodeURIComponent(`${person}-家访视频-1.mp4`));

    const photoAsMedia = entry(await upload(counselor, jpeg(), 'IMG_9.jpg'));
    const refused = await submit('phone', await photos(1), [photoAsMedia]);
    expect(refused.status).toBe(400);
    expect(messages(refused.body)).toEqual(['视频或音频第 1 项（IMG_9.jpg）是图片，不是视频或音频（照片请放在“家访照片”中）']);
  });
});

describe('evidence is named after the student (D7)', () => {
  it('D7: downloads a report’s photo as 学号-姓名-家访-N.<sniffed extension>, with an ASCII fallback, by its place in the report', async () => {
    const evidence = await photos(4);
    const created = await submit('onsite', evidence);
    expect(created.status).toBe(201);
    expect(created.body.metadata.linked).toEqual({ type: 'visitReport', id: created.reportId });
    const no = created.studentNo;
    const name = `陈静${Number(no.slice(1))}`;
    const disposition = async (u: { url: string }) => (await fetch(u.url, { headers: { Cookie: counselor.cookie! } })).headers.get('content-disposition');

    // The ASCII fallback keeps what is ASCII of the name (the number the seeded name ends in).
    expect(await disposition(evidence[0]!)).toBe(`inline; filename="${no}-${Number(no.slice(1))}-1.jpg"; filename*=UTF-8''${encodeURIComponent(`${no}-${name}-家访-1.jpg`)}`);
    expect(await disposition(evidence[1]!)).toContain(`filename*=UTF-8''${encodeURIComponent(`${no}-${name}-家访-2.png`)}`);

    // A new version with the photos in another order: the names follow, computed at download time.
    const report = (await t.request('GET', `/api/visit-reports/${created.reportId}`, { as: counselor })).body;
    const again = await t.request('POST', '/form/visitReport/submission', { as: counselor, body: { data: visitReportData(report, [...evidence].reverse()) } });
    expect(again.status).toBe(201);
    expect((await t.request('GET', `/api/visit-reports/${created.reportId}`, { as: counselor })).body).toMatchObject({ state: 'submitted', version: 2 });
    expect(await disposition(evidence[0]!)).toContain(encodeURIComponent(`${no}-${name}-家访-4.jpg`));
  });

  it('an upload not yet linked to a report downloads under the name it was uploaded with', async () => {
    const loose = await upload(counselor, jpeg(), '照片 原图.jpg');
    const response = await fetch(loose.url, { headers: { Cookie: counselor.cookie! } });
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="file.jpg"; filename*=UTF-8''${encodeURIComponent('照片 原图.jpg')}`);
  });
});

describe('the download route is declared like every other route', () => {
  it('parses its path strictly and is described in /api/openapi.json', async () => {
    const bad = await t.request('GET', '/api/files/not-a-file', { as: counselor });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('id');
    const doc = (await t.request('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths['/api/files/{id}']).toHaveProperty('get');
  });
});

describe('the photo rule is a function of its minimums (settings now, a campaign later)', () => {
  const image = (n: number): InspectedEntry => ({ label: { zh: `第 ${n} 项`, en: `entry ${n}` }, ours: true, file: { id: `f${n}`, contentType: 'image/jpeg', sha256: `h${n}`, usable: true } });

  it('applies whatever minimums it is given', () => {
    const two = [image(1), image(2)];
    expect(visitEvidenceProblems('video', two, [], { onsite: 4, video: 2, phone: 1 })).toEqual([]);
    expect(visitEvidenceProblems('video', two, [], { onsite: 4, video: 3, phone: 1 })[0]!.message).toBe('网络视频家访至少需要 3 张照片（有效 2 张）');
    expect(visitEvidenceProblems('phone', [], [], { onsite: 4, video: 2, phone: 0 })).toEqual([]);
  });

  it('reads HSB_VISIT_PHOTOS_ONSITE / _VIDEO / _PHONE, defaults from seed 001 and a phone call log', () => {
    expect(loadConfig({}).visitPhotoMinimums).toEqual({ onsite: 4, video: 2, phone: 1 });
    expect(loadConfig({ HSB_VISIT_PHOTOS_ONSITE: '6', HSB_VISIT_PHOTOS_VIDEO: '3', HSB_VISIT_PHOTOS_PHONE: '0' }).visitPhotoMinimums).toEqual({ onsite: 6, video: 3, phone: 0 });
    expect(() => loadConfig({ HSB_VISIT_PHOTOS_ONSITE: 'four', HSB_VISIT_PHOTOS_PHONE: '-1' })).toThrow(/HSB_VISIT_PHOTOS_ONSITE="four"[\s\S]*HSB_VISIT_PHOTOS_PHONE="-1"/);
  });
});
