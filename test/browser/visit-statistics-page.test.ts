import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { PHONE, launchChromium, openSignedIn } from '../support/browser';
import { seededNumber as no } from '../support/seed-archives';
import { startTestService, type TestService } from '../support/test-service';
import { visitStatisticsFixture, type StatisticsFixture } from '../support/visit-statistics-fixture';

/**
 * D10: the statistics page shows the college's figures from the records (the fixture's hand count: 8
 * visits of 7 students, 6 counting towards a goal of 3) with its charts drawn, the table's 合计 row and the
 * planned visits without a report; the download is the XLSX; student affairs opens the school roll-up
 * from the campaign overview. Screenshots go to test/browser/screenshots/.
 */

const SHOTS = path.join(__dirname, 'screenshots');
let t: TestService;
let browser: Browser;
let f: StatisticsFixture;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestService();
  f = await visitStatisticsFixture(t);
  browser = await launchChromium();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

const cells = (row: import('playwright-core').Locator) => row.locator('th, td').allInnerTexts();

describe('the visit statistics page (D10)', () => {
  it('D10: a counselor sees the college’s figures, charts and the planned visits without a report; the download is the XLSX', async () => {
    const { context, page, outsideRequests } = await openSignedIn(browser, t.url, f.counselorA, `/visits/${f.campaign}/statistics`);
    await page.waitForSelector('#statistics-table tfoot tr');
    expect(await page.locator('#title').innerText()).toContain('信息工程学院 · 走访统计');
    expect(await page.locator('[data-tile="家访学生（计入比例）"] .figure').innerText()).toBe('6 / 3');
    expect(await page.locator('[data-tile="家访人次"] .figure').innerText()).toBe('8');
    expect(await page.locator('[data-tile="计划未访"] .figure').innerText()).toBe('2');
    // 合计: 300 enrolled, 7 students, 8 visits, then on-site 4, video 2, phone 2.
    expect((await cells(page.locator('#statistics-table tfoot tr'))).slice(0, 7)).toEqual(['合计', '300', '7', '8', '4', '2', '2']);
    expect((await cells(page.locator('#statistics-table tr[data-row="2024/软件技术"]'))).slice(0, 5)).toEqual(['2024', '软件技术', '100', '2', '3']);
    expect(await page.locator('#missing-table tbody th').allInnerTexts()).toEqual([no('A', 5), no('A', 6)]);
    for (const id of ['coverage-chart', 'mode-chart', 'grade-chart']) expect(await page.locator(`#${id} canvas`).count()).toBe(1);

    const href = await page.locator('#download').getAttribute('href');
    expect(href).toBe(`/api/visit-campaigns/${f.campaign}/statistics.xlsx?college=${String(f.A)}`);
    const download = await page.request.get(`${t.url}${href}`);
    expect([download.status(), download.headers()['content-type']]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    await page.screenshot({ path: path.join(SHOTS, 'visit-statistics-college.png'), fullPage: true });
    expect(outsideRequests).toEqual([]);
    await context.close();
  });

  it('D10: student affairs opens the school roll-up from the overview, then a college from it, on a phone', async () => {
    const { context, page } = await openSignedIn(browser, t.url, f.officer, `/visits/${f.campaign}`, PHONE);
    await page.waitForSelector('#colleges tbody tr');
    await page.click('#statistics-link');
    await page.waitForSelector('#rollup-table tfoot tr');
    expect((await cells(page.locator('#rollup-table tfoot tr'))).slice(0, 6)).toEqual(['合计', '400', '4', '7', '8', '9']);
    expect(await page.locator('#colleges-chart canvas').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'visit-statistics-school-390.png'), fullPage: true });
    await page.click('#rollup-table tr[data-row="B"] a');
    await page.waitForSelector('#statistics-table tfoot tr');
    expect(await page.locator('#title').innerText()).toContain('经济管理学院');
    expect(await page.locator('[data-tile="家访人次"] .figure').innerText()).toBe('1');
    await context.close();
  });
});
