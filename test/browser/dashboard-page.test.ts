import { mkdirSync } from 'node:fs';
import path from 'node:path';
import mongoose, { type Types } from 'mongoose';
import type { Browser } from 'playwright-core';
import { academicYearOf } from '../../server/calendar/academic-calendar';
import { DESKTOP, PHONE, launchChromium, openSignedIn, seriousAccessibilityViolations } from '../support/browser';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * Issue #11 "must show": a college leader's dashboard figures equal the records, at 1366 px and on a
 * 390-px phone; a tile opens the list behind it with as many rows as the tile says; charts are drawn;
 * student affairs sees the school with a row per college. Screenshots go to test/browser/screenshots/.
 */

const SHOTS = path.join(__dirname, 'screenshots');
const DAY = 86_400_000;
const YEAR = academicYearOf(new Date());
let t: TestService;
let browser: Browser;
let A: Types.ObjectId;
let leader: Credentials;
let officer: Credentials;
let counselor: Credentials;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestService({ HSB_CONTACT_DAYS_SPECIAL: '7', HSB_CONTACT_DAYS_KEY: '30', HSB_CONTACT_DAYS_GENERAL: '90' });
  A = await t.college('PA', '机电学院');
  const B = await t.college('PB', '文学院');
  counselor = await t.staff('counselor', A, 'page.counselor');
  const other = await t.staff('counselor', B, 'page.other');
  leader = await t.staff('collegeLeader', A, 'page.leader');
  officer = await t.staff('studentAffairs', undefined, 'page.office');
  const now = Date.now();
  const vary = (who: Credentials) => (i: number) => ({ counselor: who.userId, careTier: ['special', 'key', 'general'][i % 3], lastConfirmedYear: i % 3 === 0 ? YEAR : undefined, ...(i % 4 === 0 ? {} : { lastContactAt: new Date(now - (i % 6) * 10 * DAY) }) });
  await seedArchives(A, 'PA', 60, vary(counselor));
  await seedArchives(B, 'PB', 30, vary(other));
  for (const [no, category] of [[seededNumber('PA', 1), 'academic'], [seededNumber('PA', 2), 'emergency']] as const) {
    expect((await t.request('POST', '/api/cases', { as: counselor, body: { student: no, category, description: '情况说明' } })).status).toBe(201);
  }
  const award = await t.request('POST', '/api/awards', { as: counselor, body: { student: seededNumber('PA', 5), kind: 'award', title: '全国大学生数学建模竞赛一等奖', level: 'national', category: 'competition', date: new Date().toISOString().slice(0, 10) } });
  expect(award.body.goodNews).toBe(true);
  // Another college's 喜报 is not in this college's list.
  expect((await t.request('POST', '/api/awards', { as: other, body: { student: seededNumber('PB', 5), kind: 'award', title: '省级优秀学生', level: 'provincial', category: 'honour', date: new Date().toISOString().slice(0, 10) } })).body.goodNews).toBe(true);
  expect((await t.request('POST', '/api/dashboard/refresh', { as: officer })).status).toBe(200);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

/** The college's figures counted by the test from the records. */
async function recordsOfA() {
  const students = mongoose.connection.collection('students');
  const count = (extra: Record<string, unknown>) => students.countDocuments({ college: A, ...extra });
  const overdue = async (tier: string, days: number) => count({ careTier: tier, $or: [{ lastContactAt: null }, { lastContactAt: { $lt: new Date(Date.now() - days * DAY) } }] });
  const all = await count({});
  return { students: all, stale: all - (await count({ lastConfirmedYear: YEAR })), overdue: (await overdue('special', 7)) + (await overdue('key', 30)) + (await overdue('general', 90)) };
}

const tileFigure = (page: import('playwright-core').Page, name: string) => page.locator(`[data-tile="${name}"] .figure`).textContent();

describe.each([DESKTOP, PHONE])('the dashboard at %i px', (width) => {
  it('a college leader’s figures equal the records, and the overdue tile opens exactly that many students', async () => {
    const { context, page, outsideRequests } = await openSignedIn(browser, t.url, leader, '/dashboard', width);
    await page.waitForSelector('[data-tile="overdue"]');
    const expected = await recordsOfA();
    await expect(tileFigure(page, 'students')).resolves.toBe(String(expected.students));
    await expect(tileFigure(page, 'stale')).resolves.toBe(String(expected.stale));
    await expect(tileFigure(page, 'overdue')).resolves.toBe(String(expected.overdue));
    await expect(tileFigure(page, 'cases')).resolves.toBe('2');
    await expect(page.locator('[data-tile="stale"]').getAttribute('href')).resolves.toBe('/students?stale=true&college=PA');
    await expect(page.locator('#computed-at').textContent()).resolves.toMatch(/^数据更新于 /);
    expect(await page.locator('#tier-chart canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#cases-chart canvas').count()).toBeGreaterThan(0);
    await expect(page.locator('#breakdown-table tbody tr').count()).resolves.toBe(1);

    await page.click('[data-tile="overdue"]');
    await page.waitForFunction(() => /^共 \d+ 人/.test(document.getElementById('drill-summary')!.textContent ?? ''));
    await expect(page.locator('#drill-summary').textContent()).resolves.toBe(`共 ${expected.overdue} 人`);
    await expect(page.locator('#drill-table tbody tr').count()).resolves.toBe(expected.overdue);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `dashboard-collegeLeader-${width}.png`), fullPage: true });

    await expect(page.locator('[data-tile="students"]').getAttribute('href')).resolves.toBe('/students?college=PA');
    await expect(tileFigure(page, 'goodNews')).resolves.toBe('1');
    await page.click('[data-tile="goodNews"]');
    await page.waitForFunction(() => /^共 \d+ 份/.test(document.getElementById('drill-summary')!.textContent ?? ''));
    await expect(page.locator('#drill-table tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('#drill-table tbody').textContent()).resolves.toContain('全国大学生数学建模竞赛一等奖');

    await page.click('[data-tile="cases"]');
    await page.waitForFunction(() => /^共 \d+ 件/.test(document.getElementById('drill-summary')!.textContent ?? ''));
    await expect(page.locator('#drill-table tbody tr').count()).resolves.toBe(2);
    expect(outsideRequests).toEqual([]);
    await context.close();
  });
});

it('student affairs sees the school, a row per college, and goes down to a college', async () => {
  const { context, page } = await openSignedIn(browser, t.url, officer, '/dashboard');
  await page.waitForSelector('#breakdown-table tbody tr');
  await expect(tileFigure(page, 'students')).resolves.toBe('90');
  const rows = await page.locator('#breakdown-table tbody tr').allTextContents();
  expect(rows).toHaveLength(2);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-studentAffairs-1366.png'), fullPage: true });
  await page.click('#breakdown-table a:has-text("机电学院")');
  await page.waitForURL(/\/dashboard\?college=PA$/);
  await page.waitForSelector('[data-tile="overdue"]');
  await expect(tileFigure(page, 'students')).resolves.toBe('60');
  await expect(page.locator('#crumbs').textContent()).resolves.toContain('全校');
  // The stale tile opens the student list narrowed to the college, as many as the tile says.
  const stale = await tileFigure(page, 'stale');
  await page.click('[data-tile="stale"]');
  await page.waitForURL(/\/students\?stale=true&college=PA$/);
  await page.waitForFunction(() => /^已显示 \d+ 名学生/.test(document.getElementById('result-status')!.textContent ?? ''));
  while (await page.locator('#more').isVisible()) {
    const before = await page.locator('#results li').count();
    await page.click('#more');
    // Key paging learns that a page was the last only when the next one comes back empty.
    await page.waitForFunction((n) => document.querySelectorAll('#results li').length > n || document.getElementById('more')!.classList.contains('d-none'), before);
  }
  await expect(page.locator('#result-status').textContent()).resolves.toMatch(new RegExp(`^已显示 ${stale} 名学生（`));
  await expect(page.locator('#results li').count()).resolves.toBe(Number(stale));
  await expect(page.locator('#narrowed').textContent()).resolves.toContain('学院 PA');
  await context.close();
});
