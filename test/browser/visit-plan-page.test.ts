import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Types } from 'mongoose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { seedArchives } from '../support/seed-archives';
import { openCampaign } from '../support/visit-campaign';

/**
 * Issue #12, "Must show": filing a college's visit plan in a real browser with a data grid of 25 visits
 * where ⌈2,600 × 1%⌉ = 26 are required, seeing the coverage message under the grid, adding the 26th
 * (picked through the student select, whose options come from our API filtered by the college), and
 * seeing the plan submitted; then the college leader returns it with a reason, and student affairs'
 * overview shows each college. Screenshots at 1366 px and 390 px go to test/browser/screenshots/.
 */

const SHOTS = path.join(__dirname, 'screenshots');
const YEAR = new Date().getFullYear() + 1;
const no = (i: number) => `XY${String(i).padStart(5, '0')}`;

let t: TestService;
let browser: Browser;
let XY: Types.ObjectId;
let counselor: Credentials;
let leader: Credentials;
let officer: Credentials;
let campaignId: string;
const outsideRequests: string[] = [];

type FormioWindow = { Formio: { forms: Record<string, { getComponent(k: string): { setValue(v: unknown): void; dataValue: Array<Record<string, unknown>> } }> } };

const seedStudents = (college: Types.ObjectId, count: number) =>
  seedArchives(college, 'XY', count, (i) => ({ name: `学生${i}`, major: '软件技术', grade: String(2022 + (i % 4)), className: '软件1班' }));

async function open(who: Credentials, route: string, width = 1366): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width, height: 900 } });
  const page = await context.newPage();
  const origin = new URL(t.url).origin;
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) outsideRequests.push(url);
  });
  await page.goto(`${t.url}${route}`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('#username', who.username);
  await page.fill('#password', who.password);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.pathname === route);
  return { context, page };
}

const planRoute = () => `/visits/${campaignId}/plans/XY`;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestService();
  XY = await t.college('XY', '信息工程学院');
  await t.college('ZZ', '文学院');
  counselor = await t.staff('counselor', XY, 'liu.counselor');
  leader = await t.staff('collegeLeader', XY, 'wang.leader');
  officer = await t.staff('studentAffairs', undefined, 'zhao.office');
  await seedStudents(XY, 2600);
  campaignId = await openCampaign(t, officer, ['XY', 'ZZ'], { theme: '家校对接·共促成长' });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

describe('college visit plan page in a real browser', () => {
  let page: Page;

  beforeAll(async () => {
    ({ page } = await open(counselor, planRoute()));
    await page.waitForSelector('[name="data[implementation][organization]"]');
  });

  it('shows the college, the required count and the deadline before anything is filed', async () => {
    await expect(page.textContent('#title')).resolves.toBe(`信息工程学院 · ${YEAR}年寒假家访`);
    await expect(page.textContent('#coverage')).resolves.toBe('已计划 0 人 / 需至少 26 人');
    await expect(page.textContent('#state')).resolves.toBe('未填报');
    await expect(page.textContent('#deadline')).resolves.toBe(`${YEAR}年1月10日 12:00`);
  });

  it('refuses a data grid of 25 visits with the coverage message under the grid, and files nothing', async () => {
    await page.fill('[name="data[implementation][organization]"]', '学院党委统一部署，辅导员分片负责');
    await page.fill('[name="data[implementation][schedule]"]', '1月15日至2月20日分批开展');
    await page.fill('[name="data[implementation][safety]"]', '出行前报备行程，结伴出行，保持通讯畅通');
    // The rows as a college would have picked them, with what the selects show (Form.io's selectData).
    await page.evaluate(({ rows, counselorName }) => {
      const form = Object.values((window as unknown as FormioWindow).Formio.forms)[0]! as unknown as { submission: { data: Record<string, unknown>; metadata?: Record<string, unknown> } };
      const selectData = { entries: rows.map((r) => ({ student: { studentNo: r.student, name: `学生${Number(r.student.slice(2))}` }, visitors: { [r.visitors[0]!]: { displayName: counselorName, roleZh: '辅导员' } } })) };
      form.submission = { data: { ...form.submission.data, entries: rows }, metadata: { selectData } };
    }, { counselorName: counselor.username, rows: Array.from({ length: 25 }, (_, i) => ({ student: no(i), targetType: 'current', mode: i % 3 ? 'video' : 'onsite', kind: 'general', visitors: [String(counselor.userId)], plannedOn: `${YEAR}-01-20`, leaderVisit: false })) });
    await expect(page.locator('.formio-component-entries tbody tr').count()).resolves.toBe(25);
    await page.click('button[name="data[submit]"]');
    const message = '需至少 26 人（2,600 × 1%），当前 25 人';
    await page.locator('.formio-component-entries .formio-errors', { hasText: message }).first().waitFor();
    await expect(page.textContent('#formio .alert-danger')).resolves.toContain(message);
    expect(await page.textContent('#formio')).not.toMatch(/Could not connect/);
    await page.screenshot({ path: path.join(SHOTS, 'visit-plan-coverage-refused-1366.png'), fullPage: true });
    expect((await t.request('GET', `/api/visit-campaigns/${campaignId}/plans/XY`, { as: counselor })).status).toBe(404);
  });

  it('adds the 26th visit through the student select (searched in the college’s archive) and submits the plan', async () => {
    await page.click('.formio-component-entries .formio-button-add-row');
    const row = page.locator('.formio-component-entries tbody tr').nth(25);
    await row.locator('.formio-component-student .choices').click();
    await row.locator('.formio-component-student input.choices__input--cloned').fill(no(2500));
    const option = row.locator('.formio-component-student .choices__list--dropdown .choices__item--selectable', { hasText: `${no(2500)} 学生2500` });
    await option.waitFor();
    await option.click();
    await page.evaluate((visitor) => {
      const grid = Object.values((window as unknown as FormioWindow).Formio.forms)[0]!.getComponent('entries');
      const rows = grid.dataValue.map((r) => ({ ...r }));
      Object.assign(rows[25]!, { mode: 'phone', kind: 'followUp', visitors: [visitor], plannedOn: '' });
      grid.setValue(rows);
    }, String(counselor.userId));
    await page.click('button[name="data[submit]"]');
    await page.locator('#message.alert-success', { hasText: '家访计划已提交审批' }).waitFor();
    await expect(page.textContent('#state')).resolves.toBe('待审批');
    await expect(page.textContent('#coverage')).resolves.toBe('已计划 26 人 / 需至少 26 人');
    await page.screenshot({ path: path.join(SHOTS, 'visit-plan-submitted-1366.png'), fullPage: true });

    const filed = await t.request('GET', `/api/visit-campaigns/${campaignId}/plans/XY`, { as: counselor });
    expect(filed.body).toMatchObject({ state: 'submitted', coverage: { required: 26, counted: 26, met: true } });
    expect(filed.body.entries[25]).toMatchObject({ studentNo: no(2500), mode: 'phone', kind: 'followUp' });
    expect(outsideRequests).toEqual([]);
  }, 120_000);

  it('lets the college leader return it only with a reason, which the college then sees (390 px)', async () => {
    const { context, page: phone } = await open(leader, planRoute(), 390);
    await phone.locator('#approval:not(.d-none)').waitFor();
    await phone.click('#return');
    await phone.click('#return-confirm');
    await expect(phone.isVisible('#return-error')).resolves.toBe(true);
    await phone.fill('#return-reason', '第 3 行学生请改为实地家访');
    await phone.click('#return-confirm');
    await phone.locator('#message.alert-success', { hasText: '已退回学院' }).waitFor();
    await expect(phone.textContent('#returned')).resolves.toContain('第 3 行学生请改为实地家访');
    // Nothing but the data grid (which scrolls sideways in its own box) is wider than the phone.
    const wider = await phone.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > 391 && !e.closest('.formio-component-entries table')).map((e) => `${e.tagName}.${e.className}`));
    expect(wider).toEqual([]);
    await expect(phone.evaluate(() => getComputedStyle(document.querySelector('.formio-component-entries')!).overflowX)).resolves.toBe('auto');
    await phone.screenshot({ path: path.join(SHOTS, 'visit-plan-returned-390.png') });
    await context.close();

    await page.reload();
    await page.locator('#returned', { hasText: '已退回：第 3 行学生请改为实地家访' }).waitFor();
    await expect(page.textContent('#state')).resolves.toBe('已退回');
  });

  it('shows student affairs each college with its state, planned vs required, leader visits and deadline', async () => {
    const { context, page: overview } = await open(officer, `/visits/${campaignId}`);
    const row = overview.locator('#colleges tbody tr[data-college="XY"]');
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/信息工程学院.*已退回.*26 \/ 26.*0.*1月10日 12:00/);
    await expect(overview.locator('#colleges tbody tr[data-college="ZZ"]').textContent()).resolves.toContain('未填报');
    await overview.screenshot({ path: path.join(SHOTS, 'visit-campaign-overview-1366.png'), fullPage: true });
    await overview.setViewportSize({ width: 390, height: 900 });
    await overview.screenshot({ path: path.join(SHOTS, 'visit-campaign-overview-390.png'), fullPage: true });
    await context.close();
    expect(outsideRequests).toEqual([]);
  });
});
