import type { Browser } from 'playwright-core';
import { launchChromium, openSignedIn, PHONE, seriousAccessibilityViolations } from '../support/browser';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { schoolWithTypicalCase } from '../support/typical-case-fixture';

/**
 * D9 on the typical-case page, on a 390-px phone: the case is internal only until a consent is recorded;
 * recording the student's consent for 推文 turns the badge to 可推文 and offers that export, not the others.
 */

let t: TestService;
let browser: Browser;
let counselor: Credentials;
let caseId: string;

beforeAll(async () => {
  t = await startTestService();
  ({ counselor, caseId } = await schoolWithTypicalCase(t));
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

it('D9: the case page shows 仅限内部 until consent is recorded, then 可推文 with the WeChat export only (390 px)', async () => {
  const { context, page, outsideRequests } = await openSignedIn(browser, t.url, counselor, `/visits/cases/${caseId}`, PHONE);
  try {
    await page.locator('#pictures img').waitFor();
    await expect(page.textContent('#consent-badge')).resolves.toBe('仅限内部');
    await expect(page.inputValue('#f-title')).resolves.toBe('从沉默到自信');
    await expect(page.locator('#exports a').count()).resolves.toBe(0);
    expect(await page.locator('#pictures img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.check('#c-wechat');
    await page.check('#c-student');
    await page.click('#record-consent');
    await page.locator('#consent-badge', { hasText: '可推文' }).waitFor();
    await expect(page.locator('#exports a').count()).resolves.toBe(1);
    await expect(page.getAttribute('#exports a', 'href')).resolves.toBe(`/api/typical-cases/${caseId}/publicity.pdf?channel=wechat`);
    await expect(page.textContent('#consents')).resolves.toContain('微信推文 — 学生本人同意');

    await page.fill('#w-reason', '学生要求撤回');
    await page.click('#withdraw');
    await page.locator('#consent-badge', { hasText: '仅限内部' }).waitFor();
    await expect(page.locator('#exports a').count()).resolves.toBe(0);
    await expect(page.textContent('#consents')).resolves.toContain('已撤回：学生要求撤回');
    const wide = await page.evaluate((w) => Array.from(document.querySelectorAll('main *')).filter((e) => e.getBoundingClientRect().right > w + 1).length, PHONE);
    expect(wide).toBe(0);
    expect(outsideRequests).toEqual([]);
  } finally {
    await context.close();
  }
});
