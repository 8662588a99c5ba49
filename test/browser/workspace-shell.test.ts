import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { hashToken } from '../../server/identity/secrets';
import { SessionModel } from '../../server/identity/session.model';
import { DESKTOP, PHONE, launchChromium, openSignedIn, seriousAccessibilityViolations } from '../support/browser';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * Issue #11 item 1 and 5: the workspace shell in a real browser — each role's menu at 1366 px and on a
 * 390-px phone, sign-out that ends the session, a session that expires while a page is open, and the
 * audit view of student affairs. Screenshots go to test/browser/screenshots/.
 */

const SHOTS = path.join(__dirname, 'screenshots');
let t: TestService;
let browser: Browser;
const people: Record<string, Credentials> = {};
let studentId: string;

const MENUS: Record<string, string[]> = {
  counselor: ['我的待办', '学生档案', '数据看板', '家访', '我的家访', '致家长的一封信', '结对帮扶', '表单'],
  teacher: ['我的待办', '学生档案', '家访', '我的家访', '致家长的一封信', '结对帮扶', '表单'],
  collegeLeader: ['我的待办', '学生档案', '数据看板', '家访', '我的家访', '致家长的一封信', '结对帮扶', '表单'],
  studentAffairs: ['我的待办', '学生档案', '数据看板', '家访', '我的家访', '致家长的一封信', '结对帮扶', '表单', '审计'],
};

/** Ends the browser's session in the database, as the clock would. */
async function expireSessionOf(context: BrowserContext): Promise<void> {
  const session = (await context.cookies()).find((cookie) => cookie.name === 'hsb_session');
  const updated = await SessionModel.updateOne({ _id: hashToken(session!.value) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
  expect(updated.modifiedCount).toBe(1);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestService();
  const a = await t.college('A', '机电学院');
  people.counselor = await t.staff('counselor', a, 'shell.counselor');
  people.teacher = await t.staff('teacher', a, 'shell.teacher');
  people.collegeLeader = await t.staff('collegeLeader', a, 'shell.leader');
  people.studentAffairs = await t.staff('studentAffairs', undefined, 'shell.office');
  const created = await t.request('POST', '/api/students', {
    as: people.counselor,
    body: { studentNo: '2024SH0001', name: '周洋', gender: 'male', birthDate: '2006-01-02', college: 'A', major: '机电一体化', grade: '2024', className: '机电1班', counselor: 'shell.counselor', careTier: 'key', guardians: [{ name: '周强', relation: '父亲', phone: '13800138002' }], homeAddress: '某市某区 3 号', medicalHistory: '癫痫病史' },
  });
  expect(created.status).toBe(201);
  studentId = created.body.id;
  expect((await t.request('GET', `/api/students/${studentId}`, { as: people.counselor })).status).toBe(200);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

describe.each([DESKTOP, PHONE])('the shell at %i px', (width) => {
  it.each(Object.keys(MENUS))('shows %s the menu of their role, and the page passes the accessibility check', async (role) => {
    const { context, page, outsideRequests } = await openSignedIn(browser, t.url, people[role]!, '/forms', width);
    await page.waitForSelector('#shell nav');
    await expect(page.locator('#who').textContent()).resolves.toContain(people[role]!.username);
    if (width === PHONE) {
      await expect(page.locator('#shell-menu').isVisible()).resolves.toBe(false);
      await page.click('.navbar-toggler');
      await expect(page.locator('.navbar-toggler').getAttribute('aria-expanded')).resolves.toBe('true');
    }
    await expect(page.locator('#shell-menu .nav-link').allTextContents()).resolves.toEqual(MENUS[role]);
    await expect(page.locator('#shell-menu .nav-link[aria-current=page]').textContent()).resolves.toBe('表单');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `shell-${role}-${width}.png`), fullPage: true });
    expect(outsideRequests).toEqual([]);
    await context.close();
  });
});

describe('signing out and session expiry', () => {
  it('sign-out ends the session: the sign-in page says so and the old cookie is refused', async () => {
    const { context, page } = await openSignedIn(browser, t.url, people.counselor!, '/forms');
    const [cookie] = await context.cookies();
    expect(cookie?.name).toBe('hsb_session');
    await page.click('#sign-out');
    await page.waitForURL(/\/login\?reason=signed-out/);
    await expect(page.locator('#notice').textContent()).resolves.toContain('您已退出登录');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const replay = await fetch(`${t.url}/api/auth/me`, { headers: { Cookie: `hsb_session=${cookie!.value}` } });
    expect(replay.status).toBe(401);
    await context.close();
  });

  it('a session that expires while a page is open sends the user to sign in, saying why, and back afterwards', async () => {
    const { context, page } = await openSignedIn(browser, t.url, people.studentAffairs!, '/audit');
    await page.waitForSelector('#entries tbody tr');
    await expireSessionOf(context);
    await page.click('#filters button[type=submit]');
    await page.waitForURL(/\/login\?next=%2Faudit&reason=expired/);
    await expect(page.locator('#notice').textContent()).resolves.toContain('登录已过期');
    await page.fill('#username', people.studentAffairs!.username);
    await page.fill('#password', people.studentAffairs!.password);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/audit');
    await context.close();
  });

  it('opening a page with an expired session says that it expired', async () => {
    const { context, page } = await openSignedIn(browser, t.url, people.teacher!, '/forms');
    await page.waitForSelector('#forms .list-group-item');
    await expireSessionOf(context);
    await page.reload();
    await page.waitForURL(/reason=expired/);
    await expect(page.locator('#notice').isVisible()).resolves.toBe(true);
    await context.close();
  });
});

describe.each([DESKTOP, PHONE])('the audit view at %i px', (width) => {
  it('student affairs finds who read a student’s medical history, and the export carries the same filter', async () => {
    const { context, page, outsideRequests } = await openSignedIn(browser, t.url, people.studentAffairs!, '/audit', width);
    await page.waitForSelector('#summary:not(:empty)');
    await page.selectOption('#field', 'medicalHistory');
    await page.fill('#student', '2024SH0001');
    await page.click('#filters button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#entries tbody tr').length > 0 && /共 \d+ 条/.test(document.getElementById('summary')!.textContent!));
    const rows = await page.locator('#entries tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/shell\.counselor[\s\S]*查看敏感信息[\s\S]*2024SH0001 周洋[\s\S]*病史/);
    const expected = await t.request('GET', `/api/audit?action=read-sensitive&field=medicalHistory&resourceType=student&resourceId=${studentId}`, { as: people.studentAffairs });
    expect(rows.length).toBe(expected.body.total);
    const href = await page.locator('#export').getAttribute('href');
    expect(href).toBe(`/api/audit.xlsx?action=read-sensitive&field=medicalHistory&resourceType=student&resourceId=${studentId}`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `audit-studentAffairs-${width}.png`), fullPage: true });
    expect(outsideRequests).toEqual([]);
    await context.close();
  });
});

it('a teacher opening the audit page is told who may read it', async () => {
  const { context, page } = await openSignedIn(browser, t.url, people.teacher!, '/audit');
  await page.waitForSelector('#message.alert-warning');
  await expect(page.locator('#message').textContent()).resolves.toContain('只有学工部和系统管理员可以查看审计记录');
  await expect(page.locator('#filters').isVisible()).resolves.toBe(false);
  await context.close();
});
