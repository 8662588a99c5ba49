import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { onDomainEvent, type DomainEvent } from '../../server/events/event-bus';
import { pdfText } from '../support/pdf-text';
import { seedArchives, seededNumber as no } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { day, jpeg, mp4, planEntry, png, reportContent, visitFixtures } from '../support/visit-fixtures';

/**
 * Seed 001 §8 (D6–D10): a college's materials of a campaign as one streamed ZIP — every submitted report
 * as PDF, the photos named after the student, video and audio, the school leaders' visits in their own
 * folder, the approved plan. Read back with a ZIP library, as the person receiving it would.
 */

let t: TestService;
let counselorA: Credentials;
let teacherA: Credentials;
let counselorB: Credentials;
let officer: Credentials;
let campaign: string;
const firstPhoto = png(7);
const video = mp4();

const download = (as: Credentials, college = 'A') => fetch(`${t.url}/api/visit-campaigns/${campaign}/colleges/${college}/materials.zip`, { headers: { Cookie: as.cookie! } });

beforeAll(async () => {
  t = await startTestService();
  const A = await t.college('A');
  const B = await t.college('B');
  officer = await t.staff('studentAffairs');
  const leaderA = await t.staff('collegeLeader', A);
  const principal = await t.staff('schoolLeader');
  counselorA = await t.staff('counselor', A);
  teacherA = await t.staff('teacher', A);
  counselorB = await t.staff('counselor', B);
  await seedArchives(A, 'A', 200, () => ({ counselor: counselorA.userId }));
  await seedArchives(B, 'B', 10);
  const fixtures = visitFixtures(t, { officer, leader: leaderA, counselor: counselorA });
  campaign = await fixtures.campaign(['A', 'B'], -10, 30);
  const entries = await fixtures.approvedPlan(campaign, 'A', [
    planEntry(no('A', 0), 'onsite', [counselorA]),
    planEntry(no('A', 1), 'phone', [counselorA]),
    planEntry(no('A', 2), 'onsite', [principal, counselorA]),
    planEntry(no('A', 3), 'phone', [counselorA]),
  ]);
  const submitted = async (studentNo: string, photos: string[], media: string[] = []) => {
    const draft = await fixtures.draft(campaign, 'A', entries.get(studentNo)!.id, { ...reportContent(day(-1)), photos, media });
    expect((await t.request('POST', `/api/visit-reports/${draft.id}/submit`, { as: counselorA })).status).toBe(200);
    return draft.id;
  };
  const upload = (content: Buffer) => fixtures.upload(counselorA, content);
  await submitted(no('A', 0), [await upload(firstPhoto), await upload(png(8)), await upload(png(9)), await upload(jpeg())], [await upload(video)]);
  const second = await submitted(no('A', 1), [await upload(jpeg())]);
  await submitted(no('A', 2), await Promise.all([1, 2, 3, 4].map(() => upload(jpeg()))));
  // D9: a typical case with consent to publicity is packed; one without consent stays internal.
  const typicalCase = async (title: string) => (await t.request('POST', '/api/typical-cases', { as: counselorA, body: { student: no('A', 1), reports: [second], title, before: '走访前', after: '走访后' } })).body.id as string;
  const consented = await typicalCase('成长之路');
  expect((await t.request('POST', `/api/typical-cases/${consented}/consents`, { as: counselorA, body: { channels: ['wechat'], student: true } })).status).toBe(200);
  await typicalCase('未获同意的案例');
  // A draft is not material yet.
  await fixtures.draft(campaign, 'A', entries.get(no('A', 3))!.id, { place: '学生家中' });
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('the materials package of a college (seed 001 §8)', () => {
  it('streams every submitted report as PDF with its photos and media named after the student, leaders’ visits apart, and the approved plan', async () => {
    const response = await download(counselorA);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-length')).toBeNull(); // streamed, not built first
    expect(response.headers.get('x-hsb-reports')).toBe('3');
    const zip = await JSZip.loadAsync(Buffer.from(await response.arrayBuffer()));
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir).sort();
    const student = (n: number) => `${no('A', n)}-[^/-]+`;
    const expected = [
      `家访记录/${student(0)}-家访报告\\.pdf`,
      `照片/${student(0)}-家访-1\\.png`, `照片/${student(0)}-家访-2\\.png`, `照片/${student(0)}-家访-3\\.png`, `照片/${student(0)}-家访-4\\.jpg`,
      `音视频/${student(0)}-家访视频-1\\.mp4`,
      `家访记录/${student(1)}-家访报告\\.pdf`, `照片/${student(1)}-家访-1\\.jpg`,
      `领导家访/家访记录/${student(2)}-家访报告\\.pdf`,
      ...[1, 2, 3, 4].map((i) => `领导家访/照片/${student(2)}-家访-${i}\\.jpg`),
      '家访计划申报表\\.pdf',
      '家访活动学院走访统计表\\.xlsx',
      '学院总结\\.pdf',
      '典型案例/成长之路\\.pdf',
    ];
    expect(names).toHaveLength(expected.length);
    for (const pattern of expected) expect(names.filter((n) => new RegExp(`^${pattern}$`).test(n))).toHaveLength(1);
    expect(names.some((n) => n.includes(no('A', 3)))).toBe(false);
    expect(names.some((n) => n.includes('未获同意'))).toBe(false);

    const photo = names.find((n) => new RegExp(`^照片/${student(0)}-家访-1\\.png$`).test(n))!;
    expect(Buffer.from(await zip.file(photo)!.async('uint8array')).equals(firstPhoto)).toBe(true);
    const clip = names.find((n) => n.endsWith('家访视频-1.mp4'))!;
    expect(Buffer.from(await zip.file(clip)!.async('uint8array')).equals(video)).toBe(true);
    const pdf = Buffer.from(await zip.file(names.find((n) => n.startsWith('家访记录/'))!)!.async('uint8array'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The statistics table is made from the same records: three distinct students visited.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await zip.file('家访活动学院走访统计表.xlsx')!.async('arraybuffer'));
    const cells = book.worksheets[0]!.getSheetValues().flat().map((v) => String(v ?? ''));
    expect(cells.some((c) => c.includes('合计'))).toBe(true);
    const textOf = async (name: string) => (await pdfText(Buffer.from(await zip.file(name)!.async('uint8array')))).pages.join('').replace(/\s+/g, '');
    expect(await textOf('学院总结.pdf')).toContain('提交家访报告3份');
    expect(await textOf('典型案例/成长之路.pdf')).toContain('微信推文宣传稿');
  });

  it('is for those who read every report of the college: another college 404, a visitor who reads only their own 403', async () => {
    expect((await download(counselorB)).status).toBe(404);
    const teacher = await download(teacherA);
    expect(teacher.status).toBe(403);
    expect(((await teacher.json()) as { messageZh: string }).messageZh).toContain('材料包');
    const whole = await download(officer);
    expect(whole.status).toBe(200);
    expect(Object.keys((await JSZip.loadAsync(Buffer.from(await whole.arrayBuffer()))).files).length).toBeGreaterThan(10);
    const empty = await download(officer, 'B');
    expect(empty.status).toBe(200);
    expect(Object.keys((await JSZip.loadAsync(Buffer.from(await empty.arrayBuffer()))).files)).toEqual(['家访活动学院走访统计表.xlsx', '学院总结.pdf']);
  });

  it('stops writing when the receiver cancels the download, and the service goes on serving', async () => {
    const cancel = new AbortController();
    const response = await fetch(`${t.url}/api/visit-campaigns/${campaign}/colleges/A/materials.zip`, { headers: { Cookie: counselorA.cookie! }, signal: cancel.signal });
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    cancel.abort();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await download(counselorA);
    expect(again.status).toBe(200);
    expect(Object.keys((await JSZip.loadAsync(Buffer.from(await again.arrayBuffer()))).files).filter((n) => n.endsWith('.pdf'))).toHaveLength(6);
  });

  it('at the close, campaign.closed names each college with its submitted reports, its leaders and the path of its package', async () => {
    const events: DomainEvent[] = [];
    const stop = onDomainEvent(async (event) => {
      if (event.type === 'campaign.closed') events.push(event);
    });
    try {
      const closed = await t.request('POST', `/api/visit-campaigns/${campaign}/close`, { as: officer });
      expect(closed.status).toBe(200);
    } finally {
      stop();
    }
    expect(events).toHaveLength(1);
    const payload = events[0]!.payload as { id: string; state: string; colleges: Array<{ code: string; reports: number; materialsPath: string; leaders: unknown[] }>; studentAffairs: Array<{ username: string }> };
    expect(payload).toMatchObject({ id: campaign, state: 'closed' });
    expect(payload.colleges.map((c) => [c.code, c.reports, c.materialsPath, c.leaders.length])).toEqual([
      ['A', 3, `/api/visit-campaigns/${campaign}/colleges/A/materials.zip`, 1],
      ['B', 0, `/api/visit-campaigns/${campaign}/colleges/B/materials.zip`, 0],
    ]);
    expect(payload.studentAffairs.map((s) => s.username)).toEqual([officer.username]);
    // The package can still be downloaded after the close.
    expect((await download(counselorA)).status).toBe(200);
  });
});
