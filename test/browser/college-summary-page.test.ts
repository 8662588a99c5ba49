import type { Browser } from 'playwright-core';
import { launchChromium, openSignedIn, DESKTOP } from '../support/browser';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { schoolWithTypicalCase } from '../support/typical-case-fixture';

/**
 * 学院总结 (D10) on its page: the draft generated from the records is edited in text areas, saved and
 * submitted; once submitted it is read-only. The college's typical cases are linked from it.
 */

let t: TestService;
let browser: Browser;
let counselor: Credentials;
let campaign: string;
let caseId: string;

beforeAll(async () => {
  t = await startTestService();
  ({ counselor, campaign, caseId } = await schoolWithTypicalCase(t));
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

it('D10: the summary page edits the generated draft, saves and submits it; the cases are linked', async () => {
  const { context, page, outsideRequests } = await openSignedIn(browser, t.url, counselor, `/visits/${campaign}/colleges/A/summary`, DESKTOP);
  try {
    await page.locator('#s-problems').waitFor();
    await expect(page.inputValue('#s-problems')).resolves.toContain('开学后安排学业辅导');
    await expect(page.inputValue('#s-overview')).resolves.toContain('共提交家访报告 1 份');
    await expect(page.textContent('#state')).resolves.toBe('草稿');
    await expect(page.getAttribute('#cases a', 'href')).resolves.toBe(`/visits/cases/${caseId}`);
    await page.fill('#s-problems', '学业薄弱：已安排学业导师辅导。');
    await page.click('#save');
    await page.locator('#message.alert-success').waitFor();
    const saved = await t.request('GET', `/api/visit-campaigns/${campaign}/colleges/A/summary`, { as: counselor });
    expect(saved.body).toMatchObject({ generated: false, revision: 1, sections: { problems: '学业薄弱：已安排学业导师辅导。' } });

    await page.click('#submit');
    await page.locator('#state', { hasText: '已提交学工部' }).waitFor();
    await expect(page.locator('#s-problems').evaluate((a: HTMLTextAreaElement) => a.readOnly)).resolves.toBe(true);
    await expect(page.locator('#save').isVisible()).resolves.toBe(false);
    await expect(page.getAttribute('#pdf', 'href')).resolves.toBe(`/api/visit-campaigns/${campaign}/colleges/A/summary.pdf`);
    expect(outsideRequests).toEqual([]);
  } finally {
    await context.close();
  }
});
