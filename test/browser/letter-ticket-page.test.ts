import type { Browser } from 'playwright-core';
import { DESKTOP, launchChromium, openSignedIn } from '../support/browser';
import { launchedLetter } from '../support/letter-campaign';
import { feedbackTicket, lettersOf } from '../support/letter-ticket-fixtures';
import { seedArchives } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * The feedback ticket page (B6 §4) in a real browser: the parent's text and contact wish, closing refused
 * with the reason until there is an answer and a follow-through, then answering, recording and closing.
 */

let t: TestService;
let browser: Browser;
let counselor: Credentials;
let ticketId: string;

beforeAll(async () => {
  t = await startTestService();
  const college = await t.college('LT', '会计学院');
  const officer = await t.staff('studentAffairs');
  counselor = await t.staff('counselor', college);
  await seedArchives(college, 'LT', 3, () => ({ counselor: counselor.userId }));
  const letter = await launchedLetter(t, officer);
  ticketId = await feedbackTicket((await lettersOf(letter.id, {}, 1))[0]!, { topic: 'studentLife', text: '希望食堂晚上延长营业时间。', contactWish: { wanted: true, phone: '13900003333', when: '工作日晚上' } });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

it('B6: the ticket page answers the parent, records what was done and closes only then', async () => {
  const { context, page } = await openSignedIn(browser, t.url, counselor, `/letters/tickets/${encodeURIComponent(ticketId)}`, DESKTOP);
  await page.waitForSelector('body[data-ready="true"]');
  expect(await page.textContent('#parent-text')).toBe('希望食堂晚上延长营业时间。');
  expect(await page.textContent('#contact-wish')).toContain('13900003333');
  expect(await page.textContent('#state-badge')).toContain('待回应');

  await page.click('#close');
  await page.waitForSelector('#message.alert-danger');
  expect(await page.textContent('#message')).toContain('不能办结');

  await page.fill('#response-text', '食堂晚餐窗口已延长到 20:30。');
  await page.click('#respond');
  await page.waitForSelector('#responses li:has-text("20:30")');
  expect(await page.textContent('#state-badge')).toContain('已回应');
  await page.fill('#follow-text', '已与后勤处确认并张贴通知。');
  await page.click('#record-follow');
  await page.waitForSelector('#follow-through li:has-text("后勤处")');
  await page.click('#close');
  await page.waitForSelector('#state-badge:has-text("已办结")');
  expect(await page.isVisible('#response-form')).toBe(false);
  expect(await page.isVisible('#close')).toBe(false);
  await context.close();
});
