import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../server/config/config';
import { visitEvidenceProblems, type InspectedEntry } from '../../server/forms/visit-photo-rule';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { visitReportData } from '../support/visit-report-data';

let t: TestService;
let counselor: Credentials;
let otherCounselor: Credentials;

/** Real file heads (what content-type.ts sniffs) followed by random bytes, so that every call differs. */
const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(200)]);
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
const pdf = () => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200)]);
const mp4 = () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), randomBytes(200)]);

interface Uploaded {
  url: string;
  id: string;
  name: string;
  originalName: string;
  size: number;
  type: string;
}

async function upload(as: Credentials, content: Buffer, name: string): Promise<Uploaded> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), name);
  const response = await fetch(`${t.url}/api/files`, { method: 'POST', headers: { Cookie: as.cookie! }, body: form });
  expect(response.status).toBe(201);
  return (await response.json()) as Uploaded;
}

/** The entry @formio/js's file component (storage "url") puts into the submission for an upload. */
function entry(u: Uploaded) {
  return { storage: 'url', name: u.name, url: u.url, size: u.size, type: u.type, data: { ...u, baseUrl: t.url, project: '', form: '' }, originalName: u.originalName, hash: '' };
}

async function photos(count: number, as = counselor) {
  return Promise.all(Array.from({ length: count }, (_, i) => upload(as, i % 2 ? png() : jpeg(), `IMG_${i + 1}.${i % 2 ? 'png' : 'jpg'}`).then(entry)));
}

function visit(mode: string, photoEntries: unknown[], media: unknown[] = []) {
  return visitReportData(mode, photoEntries, media);
}

const submit = (data: unknown, as = counselor) => t.request('POST', '/form/visitReport/submission', { as, body: { data } });
const messages = (body: { details: Array<{ message: string }> }) => body.details.map((d) => d.message);

beforeAll(async () => {
  t = await startTestService();
  counselor = await t.staff('counselor', await t.college('A'));
  otherCounselor = await t.staff('counselor', await t.college('A'));
});
afterAll(async () => {
  await t.stop();
});

describe('visit-report evidence: distinct images uploaded here (D7)', () => {
  it('counts four references to one stored photo once', async () => {
    const [one] = await photos(1);
    const response = await submit(visit('onsite', [one, one, one, one]));
    expect(response.status).toBe(400);
    expect(messages(response.body)).toEqual([
      '实地家访至少需要 4 张照片（有效 1 张）',
      '家访照片第 2 项（IMG_1.jpg）与第 1 项（IMG_1.jpg）是同一个文件，重复的只计一次',
      '家访照片第 3 项（IMG_1.jpg）与第 1 项（IMG_1.jpg）是同一个文件，重复的只计一次',
      '家访照片第 4 项（IMG_1.jpg）与第 1 项（IMG_1.jpg）是同一个文件，重复的只计一次',
    ]);
    expect(response.body.details.every((d: { path: string }) => d.path === 'photos')).toBe(true);
  });

  it('counts the same bytes uploaded four times once (content hash)', async () => {
    const bytes = jpeg();
    const copies = await Promise.all([1, 2, 3, 4].map((i) => upload(counselor, bytes, `copy-${i}.jpg`).then(entry)));
    expect(new Set(copies.map((c) => c.url)).size).toBe(4);
    const response = await submit(visit('onsite', copies));
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { rule: string }) => d.rule)).toEqual(['photoCount', 'photosDuplicate', 'photosDuplicate', 'photosDuplicate']);
    expect(messages(response.body)[0]).toBe('实地家访至少需要 4 张照片（有效 1 张）');
    expect(messages(response.body)[3]).toBe('家访照片第 4 项（copy-4.jpg）与第 1 项（copy-1.jpg）是同一个文件，重复的只计一次');
  });

  it('does not count a foreign URL, a look-alike URL, a PDF or a video, and names each entry', async () => {
    const real = await photos(3);
    const stored = await upload(counselor, jpeg(), 'mine.jpg');
    const foreign = { storage: 'url', name: 'web.jpg', originalName: 'web.jpg', url: 'https://example.com/photos/web.jpg', type: 'image/jpeg' };
    const lookAlike = { ...entry(stored), originalName: 'elsewhere.jpg', url: `https://example.com/mirror?u=/api/files/${stored.id}` };
    const scan = entry(await upload(counselor, pdf(), 'scan.jpg'));
    const clip = entry(await upload(counselor, mp4(), 'clip.jpg'));
    const response = await submit(visit('onsite', [...real, foreign, lookAlike, scan, clip]));
    expect(response.status).toBe(400);
    expect(messages(response.body)).toEqual([
      '实地家访至少需要 4 张照片（有效 3 张）',
      '家访照片第 4 项（web.jpg）不是本系统上传的文件，不计入',
      '家访照片第 5 项（elsewhere.jpg）不是本系统上传的文件，不计入',
      '家访照片第 6 项（scan.jpg）是 PDF 文件，不是图片，不计入照片（视频或音频请放在“视频或音频”中）',
      '家访照片第 7 项（clip.jpg）是视频，不是图片，不计入照片（视频或音频请放在“视频或音频”中）',
    ]);
    expect(response.body.details.map((d: { rule: string }) => d.rule)).toEqual(['photoCount', 'photosSource', 'photosSource', 'photosType', 'photosType']);
  });

  it('names an entry without the markup its file name may carry', async () => {
    const trap = entry(await upload(counselor, pdf(), '<img src=x onerror=alert(1)>.jpg'));
    const response = await submit(visit('video', [...(await photos(2)), trap]));
    expect(response.status).toBe(400);
    expect(messages(response.body)).toEqual(['家访照片第 3 项（img src=x onerror=alert(1).jpg）是 PDF 文件，不是图片，不计入照片（视频或音频请放在“视频或音频”中）']);
  });

  it('refuses an upload of somebody else, and one already used as evidence of another report', async () => {
    const theirs = (await photos(1, otherCounselor))[0]!;
    const mine = await photos(1);
    const refused = await submit(visit('video', [...mine, theirs]));
    expect(refused.status).toBe(400);
    expect(messages(refused.body)).toContain('家访照片第 2 项（IMG_1.jpg）引用了不存在或无权使用的上传文件');

    const first = await photos(2);
    expect((await submit(visit('video', first))).status).toBe(201);
    const reused = await submit(visit('video', [first[0], ...(await photos(1))]));
    expect(reused.status).toBe(400);
    expect(reused.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'fileOwner', path: 'photos' })]));
  });

  it('lets only one of two reports sent at once take the same photos as evidence', async () => {
    const shared = await photos(2);
    const answers = await Promise.all([submit(visit('video', shared)), submit(visit('video', shared))]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const loser = answers.find((a) => a.status === 409)!;
    expect(loser.body.messageZh).toBe('有上传文件刚刚被另一份报告使用，请重新上传');
    const winner = answers.find((a) => a.status === 201)!;
    // Every photo belongs to the saved report: its download is named after its position there.
    for (const [i, photo] of shared.entries()) {
      const download = await fetch(photo.url, { headers: { Cookie: counselor.cookie! } });
      expect(download.headers.get('content-disposition')).toContain(encodeURIComponent(`2024XX0002-陈静-家访-${i + 1}`));
    }
    expect(winner.body.data.photos).toHaveLength(2);
  });

  it('passes exactly the minimum of distinct images per mode and refuses one fewer, with the mode’s message', async () => {
    const cases: Array<[string, number, string]> = [
      ['onsite', 4, '实地家访至少需要 4 张照片（有效 3 张）'],
      ['video', 2, '网络视频家访至少需要 2 张照片（有效 1 张）'],
      ['phone', 1, '电话家访至少需要 1 张通话记录截图（有效 0 张）'],
    ];
    for (const [mode, minimum, message] of cases) {
      const fewer = await submit(visit(mode, await photos(minimum - 1)));
      expect(fewer.status).toBe(400);
      expect(fewer.body.details).toEqual([expect.objectContaining({ path: 'photos', rule: 'photoCount', message, context: expect.objectContaining({ key: 'photos' }) })]);
      const enough = await submit(visit(mode, await photos(minimum)));
      expect(enough.status).toBe(201);
    }
  });

  it('a phone visit needs one screenshot of the call log; video and audio are optional and kept apart from photos', async () => {
    const screenshot = entry(await upload(counselor, png(), '通话记录.png'));
    const recording = entry(await upload(counselor, mp4(), '通话录像.mp4'));
    const withMedia = await submit(visit('phone', [screenshot], [recording]));
    expect(withMedia.status).toBe(201);
    expect(withMedia.body.data.photos[0].name).toBe('2024XX0002-陈静-家访-1.png');
    expect(withMedia.body.data.media[0].name).toBe('2024XX0002-陈静-家访视频-1.mp4');

    const photoAsMedia = entry(await upload(counselor, jpeg(), 'IMG_9.jpg'));
    const refused = await submit(visit('phone', await photos(1), [photoAsMedia]));
    expect(refused.status).toBe(400);
    expect(messages(refused.body)).toEqual(['视频或音频第 1 项（IMG_9.jpg）是图片，不是视频或音频（照片请放在“家访照片”中）']);
  });
});

describe('evidence is named after the student (D7)', () => {
  it('downloads a linked photo as 学号-姓名-家访-N.<sniffed extension>, with an ASCII fallback', async () => {
    const evidence = await photos(4);
    const created = await submit(visit('onsite', evidence));
    expect(created.status).toBe(201);
    expect(created.body.data.photos.map((p: { name: string }) => p.name)).toEqual([
      '2024XX0002-陈静-家访-1.jpg', '2024XX0002-陈静-家访-2.png', '2024XX0002-陈静-家访-3.jpg', '2024XX0002-陈静-家访-4.png',
    ]);

    const first = await fetch(evidence[0]!.url, { headers: { Cookie: counselor.cookie! } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-disposition')).toBe(
      `inline; filename="2024XX0002-1.jpg"; filename*=UTF-8''${encodeURIComponent('2024XX0002-陈静-家访-1.jpg')}`,
    );
    const second = await fetch(evidence[1]!.url, { headers: { Cookie: counselor.cookie! } });
    expect(second.headers.get('content-disposition')).toContain(`filename*=UTF-8''2024XX0002-%E9%99%88%E9%9D%99-%E5%AE%B6%E8%AE%BF-2.png`);

    // An update keeps its own linked photos usable and renames them after the corrected student.
    const updated = await t.request('PUT', `/form/visitReport/submission/${created.body._id}`, {
      as: counselor,
      body: { data: { ...created.body.data, studentName: '陈 静(小)' } },
    });
    expect(updated.status).toBe(200);
    const renamed = await fetch(evidence[0]!.url, { headers: { Cookie: counselor.cookie! } });
    expect(renamed.headers.get('content-disposition')).toContain(`filename*=UTF-8''2024XX0002-%E9%99%88%20%E9%9D%99%28%E5%B0%8F%29-%E5%AE%B6%E8%AE%BF-1.jpg`);
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
