import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PHONE, launchChromium, openSignedIn } from '../support/browser';
import { seedArchives, seededNumber as no } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { approvedPlan, jpeg, openCampaignAroundToday, planEntry, shanghaiDay } from '../support/visit-report-data';

/**
 * A visitor on a phone (390 × 844) reports a visit of the approved plan (issue #13, D6–D7): "my visits",
 * the report page filled and saved as a draft, the draft back after a reload (and a local one offered),
 * four photos, the submission; and a report short of photos shows the service's reason on the photos.
 */

const SHOTS = path.join(__dirname, 'screenshots');
let t: TestService;
let browser: Browser;
let teacher: Credentials;

type FormioWindow = { Formio: { forms: Record<string, { getComponent(k: string): { setValue(v: unknown): void }; submission: { data: Record<string, unknown> } }> } };

async function openOnPhone(route: string): Promise<{ page: Page; outsideRequests: string[] }> {
  const { page, outsideRequests } = await openSignedIn(browser, t.url, teacher, route, PHONE);
  await page.setViewportSize({ width: PHONE, height: 844 });
  await page.waitForSelector('body[data-ready="true"]');
  return { page, outsideRequests };
}

/** Starts the visit of `studentNo` from "my visits" and lands on its report page. */
async function startFromMyVisits(page: Page, studentNo: string): Promise<string> {
  const row = page.locator(`[data-student="${studentNo}"]`);
  await expect(row.locator('.badge').getAttribute('data-state')).resolves.toBe('none');
  await row.getByRole('button', { name: /填写报告/ }).click();
  await page.waitForURL(/\/visits\/reports\//);
  await page.waitForSelector('body[data-ready="true"], #message.alert-danger');
  expect(await page.locator('#message.alert-danger').count()).toBe(0);
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
}

/** Types what a visitor writes; choices and the date through the renderer's own component API. */
async function fillReport(page: Page): Promise<void> {
  await page.fill('[name="data[place]"]', '学生家中（河南省周口市）');
  await page.fill('[name="data[metWith]"]', '王建国（父亲）');
  await page.getByLabel('政策宣传').check();
  await page.getByLabel('学业辅导').check();
  await page.fill('[name="data[familyState]"]', '父母务农，家中四口人，收入稳定。');
  await page.fill('[name="data[account]"]', '与父亲交流学生在校表现和寒假安排，介绍了国家资助政策。');
  await page.fill('[name="data[reflections]"]', '家校沟通让我更了解学生的成长环境。');
  await page.fill('[name="data[parentOpinion]"]', '希望学校多关注孩子的学业。');
  await page.evaluate((day) => {
    const form = Object.values((window as unknown as FormioWindow).Formio.forms)[0]!;
    form.getComponent('visitedOn').setValue(day);
  }, shanghaiDay(-1));
}

async function attachPhotos(page: Page, count: number): Promise<void> {
  const files = Array.from({ length: count }, (_, i) => ({ name: `IMG_${i + 1}.jpg`, mimeType: 'image/jpeg', buffer: jpeg() }));
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('.formio-component-photos a.browse')]);
  await chooser.setFiles(files);
  await page.waitForFunction((expected) => {
    const form = Object.values((window as unknown as FormioWindow).Formio.forms)[0]!;
    return ((form.submission.data.photos as unknown[]) ?? []).length === expected;
  }, count);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestService();
  const college = await t.college('XX', '信息工程学院');
  const officer = await t.staff('studentAffairs');
  const leader = await t.staff('collegeLeader', college);
  const counselor = await t.staff('counselor', college);
  teacher = await t.staff('teacher', college, 'report.teacher');
  await seedArchives(college, 'XX', 100, (i) => ({ name: `王小${i}`, counselor: counselor.userId }));
  const campaign = await openCampaignAroundToday(t, officer, ['XX']);
  await approvedPlan(t, campaign, 'XX', { counselor, leader, officer }, [
    planEntry(no('XX', 0), 'onsite', [teacher, counselor]),
    planEntry(no('XX', 1), 'onsite', [teacher]),
  ]);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

describe('a visit report on a phone (D6–D7)', () => {
  it('D6/D7: from my visits, fill the report, attach four photos, save a draft, see it after a reload, submit', async () => {
    const { page, outsideRequests } = await openOnPhone('/visits/mine');
    await expect(page.textContent('#counts')).resolves.toContain('计划 2 次');
    const id = await startFromMyVisits(page, no('XX', 0));

    // The facts come from the records; nothing of them is typed.
    const facts = await page.textContent('#facts');
    expect(facts).toContain(`${no('XX', 0)} 王小0`);
    expect(facts).toContain('实地家访（至少 4 张照片）');
    expect(await page.locator('[name="data[studentNo]"]').count()).toBe(0);

    await fillReport(page);
    await attachPhotos(page, 4);
    await page.click('button[name="data[saveDraft]"]');
    await page.locator('#message.alert-success', { hasText: '草稿已保存' }).waitFor();
    const draft = await t.request('GET', `/api/visit-reports/${id}`, { as: teacher });
    expect(draft.body).toMatchObject({ state: 'draft', content: { metWith: '王建国（父亲）', orientations: ['policy', 'study'] } });
    expect(draft.body.photos).toHaveLength(4);
    // One column on the phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE);
    await page.screenshot({ path: path.join(SHOTS, 'visit-report-390.png'), fullPage: true });

    // The saved draft comes back after a reload; text typed but not yet sent is kept on the phone and offered.
    await page.fill('[name="data[place]"]', '学生家中（信号不好，未保存）');
    await page.waitForTimeout(800);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await expect(page.inputValue('[name="data[metWith]"]')).resolves.toBe('王建国（父亲）');
    await expect(page.inputValue('[name="data[place]"]')).resolves.toBe('学生家中（河南省周口市）');
    await page.locator('#local-draft', { hasText: '本机有一份未保存到服务器的草稿' }).waitFor();
    await page.click('#restore-draft');
    await expect(page.inputValue('[name="data[place]"]')).resolves.toBe('学生家中（信号不好，未保存）');
    expect(await page.evaluate(() => ((Object.values((window as unknown as FormioWindow).Formio.forms)[0]!.submission.data.photos as unknown[]) ?? []).length)).toBe(4);

    await page.click('button[name="data[submit]"]');
    await page.locator('#message.alert-success', { hasText: '家访报告已提交' }).waitFor();
    await expect(page.textContent('#state')).resolves.toContain('已提交');
    const submitted = await t.request('GET', `/api/visit-reports/${id}`, { as: teacher });
    expect(submitted.body).toMatchObject({ state: 'submitted', version: 1, content: { place: '学生家中（信号不好，未保存）' } });
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hsb-report-draft:')))).toEqual([]);

    await page.goto(`${t.url}/visits/mine`);
    await page.waitForSelector('body[data-ready="true"]');
    await expect(page.locator(`[data-student="${no('XX', 0)}"] .badge`).getAttribute('data-state')).resolves.toBe('submitted');
    expect(outsideRequests).toEqual([]);
  });

  it('D7: a report short of photos shows the service’s reason on the photos field, in Chinese and English', async () => {
    const { page, outsideRequests } = await openOnPhone('/visits/mine');
    const id = await startFromMyVisits(page, no('XX', 1));
    // The form speaks Chinese throughout: no English of the renderer's own (its live announcements and
    // Choices.js's remove buttons aside, which no translation table reaches), no untranslated key.
    const text = await page.evaluate(() => {
      const copy = document.getElementById('formio')!.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('[ref="announceMessage"], .choices__button, select').forEach((element) => element.remove());
      return copy.textContent!.replace(/\s+/g, ' ');
    });
    expect(text).toContain('家访照片');
    expect(text.match(/(?<![.A-Za-z])[A-Za-z]{2,}/g) ?? []).toEqual([]);
    await fillReport(page);
    await attachPhotos(page, 2);
    await page.click('button[name="data[submit]"]');
    await page.locator('.formio-component-photos .formio-errors', { hasText: '实地家访至少需要 4 张照片（有效 2 张）' }).waitFor();
    await page.locator('#message', { hasText: 'An on-site visit needs at least 4 distinct photos uploaded here (2 valid)' }).waitFor();
    await page.locator('#message', { hasText: '草稿已保存' }).waitFor();
    // Not submitted, but nothing typed is lost: the draft holds it.
    const kept = await t.request('GET', `/api/visit-reports/${id}`, { as: teacher });
    expect(kept.body).toMatchObject({ state: 'draft', version: 0, content: { metWith: '王建国（父亲）' } });
    expect(kept.body.photos).toHaveLength(2);
    expect(outsideRequests).toEqual([]);
  });

  it('D6: a save from a page opened before someone else’s change is refused and explained, and the text is kept on the phone', async () => {
    const mine = await t.request('GET', '/api/visit-reports/mine?campaign=' + (await t.request('GET', '/api/visit-campaigns?limit=10', { as: teacher })).body.items[0].id, { as: teacher });
    const id = mine.body.items.find((i: { studentNo: string }) => i.studentNo === no('XX', 1)).report.id as string;
    const { page } = await openOnPhone(`/visits/reports/${id}`);
    const current = await t.request('GET', `/api/visit-reports/${id}`, { as: teacher });
    const elsewhere = await t.request('PATCH', `/api/visit-reports/${id}`, { as: teacher, body: { place: '另一台设备上改的地点' }, headers: { 'If-Match': `"${current.body.revision}"` } });
    expect(elsewhere.status).toBe(200);

    await page.fill('[name="data[place]"]', '这台手机上改的地点');
    await page.click('button[name="data[saveDraft]"]');
    await page.locator('#message.alert-danger', { hasText: '刚被其他人' }).waitFor();
    await expect(page.textContent('#message')).resolves.toContain('the report was changed elsewhere');
    expect((await t.request('GET', `/api/visit-reports/${id}`, { as: teacher })).body.content.place).toBe('另一台设备上改的地点');
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hsb-report-draft:')).map((k) => JSON.parse(localStorage.getItem(k)!).data.place));
    expect(kept).toEqual(['这台手机上改的地点']);
  });

  it('D6: an unplanned visit is started from my visits with a student, a reason and the mode, and listed there', async () => {
    const { page } = await openOnPhone('/visits/mine');
    await page.click('#start-unplanned summary');
    await page.click('#unplanned-form button[type=submit]');
    await expect(page.textContent('#u-problem')).resolves.toContain('请填写学生和原因');
    await page.fill('#u-student', no('XX', 50));
    await page.selectOption('#u-mode', 'phone');
    await page.fill('#u-reason', '学生突发疾病住院，电话慰问家长');
    await page.click('#unplanned-form button[type=submit]');
    await page.waitForURL(/\/visits\/reports\/.*unplanned-/);
    await page.waitForSelector('body[data-ready="true"]');
    await expect(page.textContent('#facts')).resolves.toContain('学生突发疾病住院，电话慰问家长');
    await expect(page.textContent('#facts')).resolves.toContain('电话家访（至少 1 张照片）');

    await page.goto(`${t.url}/visits/mine`);
    await page.waitForSelector('body[data-ready="true"]');
    await expect(page.locator(`#unplanned [data-student="${no('XX', 50)}"] .badge`).getAttribute('data-state')).resolves.toBe('draft');
    // A student of the approved plan is reported on from the plan, not as an unplanned visit.
    await page.click('#start-unplanned summary');
    await page.fill('#u-student', no('XX', 0));
    await page.fill('#u-reason', '再次走访');
    await page.click('#unplanned-form button[type=submit]');
    await expect(page.locator('#u-problem', { hasText: '已在批准的家访计划中' }).textContent()).resolves.toContain('in the approved plan');
  });
});
