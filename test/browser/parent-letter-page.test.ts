import { mkdirSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { FamilyLetterModel } from '../../server/letters/family-letter.model';
import { FeedbackTicketModel } from '../../server/letters/feedback-ticket.model';
import { launchChromium, seriousAccessibilityViolations } from '../support/browser';
import { launchedLetter, sendAllLetters, tokenOf } from '../support/letter-campaign';
import { seedArchives } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * Issue #14 (B6 §3): the parent's page on a 360 × 740 phone in real Chromium, without an account — the letter
 * from the link, a feedback sent (once, though the first attempt is cut off), and after the school has
 * answered, the answer on the same link; "the answer did not help" opens it again. Nothing is loaded from
 * elsewhere, nothing is wider than the phone, no serious accessibility violation.
 * Screenshots: test/browser/screenshots/parent-letter-*.png.
 */

const SHOTS = path.join(__dirname, 'screenshots');
const WIDTH = 360;

let t: TestService;
let browser: Browser;
let counselor: Credentials;
let link: string;
let letterId: string;

function overflowing(page: Page) {
  return page.evaluate((w) => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > w + 1).map((e) => `${e.tagName}.${e.className}`), WIDTH);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestService();
  const college = await t.college('JD', '机电工程学院');
  const officer = await t.staff('studentAffairs', undefined, 'zhao.office');
  counselor = await t.staff('counselor', college, 'liu.counselor');
  await seedArchives(college, 'JD', 3, (i) => ({ name: ['王小明', '李华', '张伟'][i], counselor: counselor.userId, guardians: [{ name: '家长', relation: '母亲', phone: `1390000000${i}` }] }));
  const html = '<h2>致家长的一封信</h2><p>尊敬的家长：本学期学校新建实训中心，学生在省级技能大赛中获得一等奖 3 项。</p><ul><li>下学期开设 12 门实践课程</li><li>宿舍全面改造</li></ul><table><tr><th>项目</th><th>完成情况</th><th>说明</th></tr><tr><td>实训中心</td><td>已完成</td><td>面积 3000 平方米，设备 200 台套</td></tr></table>';
  const { id } = await launchedLetter(t, officer, { html, audience: { colleges: ['JD'] } });
  const links = await sendAllLetters(t, officer, id);
  const student = await mongoose.connection.collection('students').findOne({ name: '王小明' });
  letterId = String((await FamilyLetterModel.findOne({ campaign: id, students: student!._id }, { _id: 1 }).lean())!._id);
  link = links.get(letterId)!.link;
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('the parent’s letter page at 360 px (B6)', () => {
  it('opens the link without an account, sends feedback once though the first try is cut off, then shows the school’s answer', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: WIDTH, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const origin = new URL(t.url).origin;
    const outside: string[] = [];
    const loaded: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      loaded.push(new URL(url).pathname);
      if (!url.startsWith(origin) && !url.startsWith('data:')) outside.push(url);
    });

    await page.goto(`${t.url}/l/${tokenOf(link)}`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(page.url()).toBe(`${t.url}/l/${tokenOf(link)}`);
    await expect(page.textContent('#greeting')).resolves.toBe('尊敬的王小明同学家长：');
    await expect(page.textContent('#letter-body')).resolves.toContain('省级技能大赛');
    expect(await page.isVisible('#feedback')).toBe(true);
    expect(await page.isVisible('#mine')).toBe(false);
    expect(await overflowing(page)).toEqual([]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'parent-letter-open-360.png'), fullPage: true });
    // One small script and one small stylesheet: nothing else is fetched besides the letter itself.
    expect(loaded.filter((p) => p.startsWith('/assets/')).sort()).toEqual(['/assets/app/letter.css', '/assets/app/letter.js']);
    expect((await FamilyLetterModel.findById(letterId).lean())!.openedAt).toBeInstanceOf(Date);

    // A weak connection: the first attempt reaches the school but its answer is lost; the page tries again
    // with the same submission id, and the school keeps one ticket.
    let cutOff = 0;
    const submissionIds: string[] = [];
    await page.route('**/feedback', async (route) => {
      submissionIds.push((route.request().postDataJSON() as { submissionId: string }).submissionId);
      if (cutOff === 0) {
        cutOff += 1;
        await route.fetch();
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    await page.selectOption('#topic', 'studentLife');
    await page.fill('#text', '希望学校延长宿舍热水供应时间。');
    await page.check('#contact-wanted');
    await page.fill('#phone', '13812345678');
    await page.fill('#when', '工作日晚上');
    await page.click('#send');
    await page.waitForSelector('#mine:not([hidden]) li[data-ticket]');
    await expect(page.textContent('#sent')).resolves.toContain('已收到您的反馈');
    expect(submissionIds.length).toBe(2);
    expect(new Set(submissionIds).size).toBe(1);
    const tickets = await FeedbackTicketModel.find({ letter: letterId }).lean();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ topic: 'studentLife', text: '希望学校延长宿舍热水供应时间。', state: 'open', contactWish: { wanted: true, phone: '13812345678', when: '工作日晚上' } });
    await expect(page.textContent('#feedbacks li .tag')).resolves.toBe('待回应');
    expect(await page.inputValue('#text')).toBe('');
    await page.unroute('**/feedback');

    // The family's counselor answers and records what was done, through the staff API.
    const ticket = `/api/feedback-tickets/${encodeURIComponent(String(tickets[0]!._id))}`;
    expect((await t.request('POST', `${ticket}/response`, { as: counselor, body: { text: '热水供应已延长至晚上 11 点。' } })).status).toBe(200);
    expect((await t.request('POST', `${ticket}/follow-through`, { as: counselor, body: { text: '后勤处已调整锅炉运行时间。' } })).status).toBe(200);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    const item = page.locator('#feedbacks li').first();
    await expect(item.locator('.tag').textContent()).resolves.toBe('已回应');
    await expect(item.textContent()).resolves.toContain('热水供应已延长至晚上 11 点。');
    await expect(item.textContent()).resolves.toContain('后勤处已调整锅炉运行时间。');
    await expect(item.textContent()).resolves.not.toContain(counselor.username);
    expect(await overflowing(page)).toEqual([]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'parent-letter-answered-360.png'), fullPage: true });

    // The answer did not help: the parent says so, and the ticket is open again for its owner.
    await item.getByRole('button', { name: '回复没有解决我的问题' }).click();
    await item.locator('textarea').fill('晚上 10 点后仍然没有热水。');
    await item.getByRole('button', { name: '确认重新提出' }).click();
    await page.waitForFunction(() => document.querySelector('#feedbacks li .tag')?.textContent === '待回应');
    const reopened = (await FeedbackTicketModel.findById(tickets[0]!._id).lean())!;
    expect(reopened.state).toBe('open');
    expect(reopened.reopenings.map((r) => r.reason)).toEqual(['晚上 10 点后仍然没有热水。']);
    expect(await page.locator('#feedbacks li').first().getByRole('button', { name: '回复没有解决我的问题' }).count()).toBe(0);

    await context.close();
    expect(outside).toEqual([]);
  });

  it('a link that opens nothing says so, in Chinese, without showing a form', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: WIDTH, height: 740 } });
    const page = await context.newPage();
    const token = tokenOf(link);
    await page.goto(`${t.url}/l/${token.slice(0, -2)}xx`);
    await page.waitForSelector('body[data-ready="error"]');
    await expect(page.textContent('#status')).resolves.toContain('链接无效或已失效');
    expect(await page.isVisible('#feedback')).toBe(false);
    expect(await page.isVisible('#letter')).toBe(false);
    await context.close();
  });
});
