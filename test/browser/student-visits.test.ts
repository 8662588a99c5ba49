import type { Browser } from 'playwright-core';
import { launchChromium, openSignedIn, PHONE, seriousAccessibilityViolations } from '../support/browser';
import { seedArchives, seededNumber as no } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { approvedPhonePlan, day, openPhoneCampaign, reportContent, submitReport } from '../support/visit-report-flow';

/**
 * D8 on the student page, on a 390-px phone: the section 家访记录 Visits lists the student's submitted
 * visits newest first, and the archive history names the visit report an archive change came from.
 */

let t: TestService;
let browser: Browser;
let counselor: Credentials;

beforeAll(async () => {
  t = await startTestService();
  const A = await t.college('A');
  const officer = await t.staff('studentAffairs');
  const leader = await t.staff('collegeLeader', A);
  counselor = await t.staff('counselor', A, 'liu.counselor');
  await seedArchives(A, 'A', 3, () => ({ counselor: counselor.userId, homeAddress: '湖南省长沙市岳麓区1号' }));
  const earlier = await openPhoneCampaign(t, officer, '上学期寒假家访', -12, ['A']);
  const current = await openPhoneCampaign(t, officer, '本学期暑假家访', -10, ['A']);
  const people = { counselor, leader, officer };
  const before = await approvedPhonePlan(t, earlier, people, [{ student: no('A', 0), visitors: [counselor] }]);
  const now = await approvedPhonePlan(t, current, people, [{ student: no('A', 0), visitors: [counselor] }]);
  const report = await submitReport(t, earlier, before.get(no('A', 0))!, counselor, { ...reportContent(day(-6)), proposals: { homeAddress: '湖南省长沙市天心区新居5号' } });
  expect((await t.request('POST', `/api/archive-proposals/${report.id}:v1:homeAddress/confirm`, { as: counselor })).status).toBe(200);
  await submitReport(t, current, now.get(no('A', 0))!, counselor, { ...reportContent(day(-1)), followUp: { needed: true, needs: '九月返校后约谈' } });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

it('D8: the student page lists the visits newest first and the history names the report a change came from (390 px)', async () => {
  const { context, page, outsideRequests } = await openSignedIn(browser, t.url, counselor, `/students/${no('A', 0)}`, PHONE);
  try {
    await page.locator('body[data-loaded="true"]').waitFor();
    await expect(page.textContent('#visits-reports-title')).resolves.toContain('家访记录');
    const visits = page.locator('#visits-reports li');
    await expect(visits.count()).resolves.toBe(2);
    await expect(visits.nth(0).textContent()).resolves.toContain(`${day(-1)} · 本学期暑假家访`);
    await expect(visits.nth(0).textContent()).resolves.toContain('后续跟进：九月返校后约谈');
    await expect(visits.nth(1).textContent()).resolves.toContain(`${day(-6)} · 上学期寒假家访`);
    await expect(visits.nth(1).textContent()).resolves.toContain('电话家访 · 普访 · 第 1 版');
    await expect(visits.nth(1).textContent()).resolves.toContain('家访人员：liu.counselor（辅导员）');
    await expect(page.locator('#history-list li').first().textContent()).resolves.toMatch(/家访更新[\s\S]*来源：家访报告 \S+ 第 1 版/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const wide = await page.evaluate((w) => Array.from(document.querySelectorAll('#visits *')).filter((e) => e.getBoundingClientRect().right > w + 1).length, PHONE);
    expect(wide).toBe(0);
    expect(outsideRequests).toEqual([]);
  } finally {
    await context.close();
  }
});
