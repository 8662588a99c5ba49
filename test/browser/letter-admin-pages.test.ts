import { mkdirSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import mongoose, { type Types } from 'mongoose';
import type { Browser } from 'playwright-core';
import { PHONE, launchChromium, openSignedIn } from '../support/browser';
import { lettersCreated, sendAllLetters } from '../support/letter-campaign';
import { answerLetter, openLetter } from '../support/letter-feedback-writes';
import { seedArchives } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * B6 in the browser (issue #14): student affairs writes a letter on /letters/new, sees how many families it
 * reaches and the letter as a parent reads it, launches it on its page, watches the progress bar while the
 * sender takes the letters out through the real outbox until it is done, and reads the report with its
 * charts and the XLSX; a college leader reads their college's report from the menu. Screenshots go to
 * test/browser/screenshots/.
 */

const SHOTS = path.join(__dirname, 'screenshots');
let t: TestService;
let browser: Browser;
let A: Types.ObjectId;
let officer: Credentials;
let leaderA: Credentials;
let counselorA: Credentials;
let campaignId: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestService();
  A = await t.college('A', '信息工程学院');
  const B = await t.college('B', '经济管理学院');
  officer = await t.staff('studentAffairs', undefined, 'letters.office');
  leaderA = await t.staff('collegeLeader', A, 'letters.leader');
  counselorA = await t.staff('counselor', A, 'letters.counselor');
  // A: 12 students, 10 with a phone of their own and 2 without (printed letters). B: 6 (not in the audience).
  await seedArchives(A, 'PA', 12, (i) => ({ counselor: counselorA.userId, grade: i < 6 ? '2024' : '2025', guardians: i < 2 ? [] : [{ name: '家长', relation: '父亲', phone: `1390000${String(i).padStart(4, '0')}` }] }));
  await seedArchives(B, 'PB', 6, (i) => ({ guardians: [{ name: '家长', relation: '母亲', phone: `1370000${String(i).padStart(4, '0')}` }] }));
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

describe('the term-letter pages (B6)', () => {
  it('B6: compose a letter, see its audience and preview, launch it, watch the progress bar reach done, read the report', async () => {
    const { context, page, outsideRequests } = await openSignedIn(browser, t.url, officer, '/letters/new');
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#f-title', '2026 秋季学期致家长的一封信');
    await page.click('#f-html');
    await page.keyboard.type('本学期学校教学质量稳步提升');
    await page.click('[data-command="bold"]');
    await page.keyboard.type('，欢迎家长提出意见。');
    expect(await page.locator(`label[for="f-college-${String(A)}"]`).innerText()).toBe('信息工程学院（12 人）');
    await page.check(`#f-college-${String(A)}`);
    await page.click('#save');
    await page.locator('#audience [data-figure="families"]').waitFor();
    expect(await page.locator('#audience [data-figure="families"]').innerText()).toBe('12 户');
    expect(await page.locator('#audience [data-figure="sms"]').innerText()).toBe('10 封');
    expect(await page.locator('#audience [data-figure="print"]').innerText()).toBe('2 封');
    expect(await page.locator('#preview').innerText()).toContain('本学期学校教学质量稳步提升');
    expect(await page.locator('#preview strong, #preview b').count()).toBeGreaterThan(0);
    campaignId = new URL(page.url()).searchParams.get('id')!;
    expect(campaignId).toMatch(/^[0-9a-f]{24}$/);
    const stored = (await t.request('GET', `/api/letter-campaigns/${campaignId}`, { as: officer })).body;
    expect(stored).toMatchObject({ state: 'draft', audience: { colleges: [String(A)] } });
    await page.screenshot({ path: path.join(SHOTS, 'letter-compose.png'), fullPage: true });

    await page.click('#to-campaign');
    await page.waitForURL(`**/letters/${campaignId}`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#state').innerText()).toBe('草稿');
    page.on('dialog', (dialog) => void dialog.accept());
    await page.click('#launch');
    // The letters are made; none has gone out yet: the bar stands at 0 until the sender takes the outbox.
    await lettersCreated(t, officer, campaignId);
    await page.locator('#progress-text', { hasText: '已发出 2 / 12 封' }).waitFor();
    expect(await page.locator('#progress-bar').getAttribute('data-done')).toBe('false');
    expect(await page.locator('#state').innerText()).toBe('发送中');

    await sendAllLetters(t, officer, campaignId);
    await page.waitForSelector('#progress-bar[data-done="true"]');
    expect(await page.locator('#progress-bar').getAttribute('aria-valuenow')).toBe('100');
    expect(await page.locator('#state').innerText()).toBe('反馈中');
    expect(await page.locator('#progress-figures [data-figure="sent"]').innerText()).toBe('10');
    await page.waitForSelector('body[data-report="true"]');
    expect(await page.locator('[data-tile="信件"] .figure').innerText()).toBe('12');
    expect(await page.locator('[data-tile="已发送"] .figure').innerText()).toBe('10');
    for (const id of ['reach-chart', 'topic-chart', 'college-chart']) expect(await page.locator(`#${id} canvas`).count()).toBe(1);
    expect(await page.locator('#colleges-table tbody tr[data-row="A"] th').innerText()).toBe('信息工程学院');
    const href = await page.locator('#download').getAttribute('href');
    expect(href).toBe(`/api/letter-campaigns/${campaignId}/report.xlsx`);
    const download = await page.request.get(`${t.url}${href}`);
    expect(download.status()).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download.body()) as never);
    expect(workbook.getWorksheet('学院')!.getCell(2, 2).value).toBe(12);
    await page.screenshot({ path: path.join(SHOTS, 'letter-campaign-report.png'), fullPage: true });

    await page.goto(`${t.url}/letters`);
    const row = page.locator(`[data-campaign="${campaignId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-state]').innerText()).toBe('反馈中');
    expect(await row.locator('.progress').getAttribute('aria-valuenow')).toBe('100');
    expect(outsideRequests).toEqual([]);
    await context.close();
  });

  it('B6: a college leader opens the letter from the menu and reads their college’s report, with feedback, on a phone', async () => {
    const letters = await mongoose.connection.collection('familyletters').find({ campaign: new mongoose.Types.ObjectId(campaignId) }).sort({ _id: 1 }).toArray();
    for (const l of letters.slice(0, 5)) await openLetter(String(l._id));
    await answerLetter(String(letters[0]!._id), 'sub-1', [{ topic: 'teaching', text: '希望增加实践课', owner: counselorA, dueInHours: -1 }]);
    const { context, page } = await openSignedIn(browser, t.url, leaderA, '/', PHONE);
    await page.click('.navbar-toggler');
    await page.click('#shell a.nav-link:has-text("致家长的一封信")');
    await page.waitForURL('**/letters');
    await page.click(`[data-campaign="${campaignId}"] a`);
    await page.waitForSelector('body[data-report="true"]');
    expect(await page.locator('#launch').isVisible()).toBe(false);
    expect(await page.locator('#report-scope').innerText()).toContain('信息工程学院');
    expect(await page.locator('[data-tile="已读"] .figure').innerText()).toBe('5');
    expect(await page.locator('[data-tile="已反馈"] .figure').innerText()).toBe('1');
    expect(await page.locator('#topics-table tr[data-row="teaching"] td').first().innerText()).toBe('1');
    expect(await page.locator(`#owners-table tr[data-row="${String(counselorA.userId)}"] td`).allInnerTexts()).toEqual(['1', '1']);
    await page.screenshot({ path: path.join(SHOTS, 'letter-report-leader-390.png'), fullPage: true });
    await context.close();
  });

  it('B6: a new letter starts from the earlier one as its template; a saved draft is edited with its revision', async () => {
    const { context, page } = await openSignedIn(browser, t.url, officer, '/letters/new');
    await page.waitForSelector('body[data-ready="true"]');
    await page.selectOption('#f-template', campaignId);
    await page.locator('#f-html', { hasText: '本学期学校教学质量稳步提升' }).waitFor();
    expect(await page.inputValue('#f-title')).toBe('2026 秋季学期致家长的一封信');
    await page.fill('#f-title', '2027 春季学期致家长的一封信');
    await page.selectOption('#f-term', 'spring');
    await page.click('#save');
    await page.locator('#audience [data-figure="families"]').waitFor();
    // No college chosen: every college, 12 + 6 families.
    expect(await page.locator('#audience [data-figure="families"]').innerText()).toBe('18 户');
    const id = new URL(page.url()).searchParams.get('id')!;
    await page.fill('#f-title', '2027 春季学期致家长的一封信（修订）');
    await page.click('#save');
    await page.locator('#message', { hasText: '第 2 版' }).waitFor();
    const stored = (await t.request('GET', `/api/letter-campaigns/${id}`, { as: officer })).body;
    expect(stored).toMatchObject({ title: '2027 春季学期致家长的一封信（修订）', term: 'spring', revision: 2, state: 'draft' });
    expect(stored.html).toContain('本学期学校教学质量稳步提升');
    await context.close();
  });

  it('B6: /letters/<not a campaign id> is left to the pages registered for it', async () => {
    const response = await fetch(`${t.url}/letters/calls`, { headers: { Accept: 'text/html' } });
    expect(response.status).toBe(404);
  });
});
