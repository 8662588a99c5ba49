import type { Browser, Page } from 'playwright-core';
import { MentoringGroupModel } from '../../server/mentoring/mentoring-group.model';
import { DESKTOP, PHONE, launchChromium, openSignedIn } from '../support/browser';
import { mentoringFixture, type MentoringFixture } from '../support/mentoring-fixtures';
import { startTestService, type TestService } from '../support/test-service';

/**
 * The mentoring-group pages (C1) in a real browser against the real service: a college leader approves a
 * proposal from the overview; a counselor proposes from the suggested teachers (least loaded first) and sees
 * the service's refusal of a two-member group under the members; a mentor logs an activity with the
 * mentoring-activity form and finds it in the group's log; the leader closes the group with its outcome.
 */

let t: TestService;
let browser: Browser;
let f: MentoringFixture;

beforeAll(async () => {
  t = await startTestService();
  f = await mentoringFixture(t, 'MT', '机电工程学院');
  // The active group has been silent for six weeks (its last activity, or its start, that long ago).
  await MentoringGroupModel.updateOne({ _id: f.activeGroup }, { $set: { lastActivityAt: new Date(Date.now() - 6 * 7 * 86_400_000 - 3_600_000) } });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const row = (page: Page, group: string) => page.locator(`#groups tbody tr[data-group="${group}"]`);

describe('C1: mentoring group pages', () => {
  it('the overview lists the college’s groups by state, flags the silent one, and the college leader approves a proposal', async () => {
    const { context, page } = await openSignedIn(browser, t.url, f.leader, '/mentoring', DESKTOP);
    await page.waitForSelector('body[data-ready="true"]');
    await expect(page.locator('#shell .nav-link.active').textContent()).resolves.toBe('结对帮扶');
    await expect(row(page, f.activeGroup).locator('[data-state]').textContent()).resolves.toBe('帮扶中');
    await expect(row(page, f.activeGroup).textContent()).resolves.toContain('mt.teacher.a');
    await expect(row(page, f.activeGroup).textContent()).resolves.toContain('尚无活动');
    await expect(row(page, f.proposedGroup).locator('[data-state]').textContent()).resolves.toBe('待审批');
    await expect(row(page, f.activeGroup).locator('[data-silent]').textContent()).resolves.toBe('6 周无活动');
    await expect(row(page, f.proposedGroup).locator('[data-silent]').count()).resolves.toBe(0);
    await page.getByLabel('只看长期无活动').check();
    await page.waitForFunction(() => document.querySelectorAll('#groups tbody tr').length === 1);
    await expect(row(page, f.activeGroup).count()).resolves.toBe(1);
    await page.getByLabel('只看长期无活动').uncheck();
    await row(page, f.proposedGroup).waitFor();

    await row(page, f.proposedGroup).getByRole('button', { name: /^批准/ }).click();
    await page.waitForSelector('#message.alert-success');
    await expect(page.textContent('#message')).resolves.toContain('已批准');
    await row(page, f.proposedGroup).locator('[data-state="active"]').waitFor();
    await expect(row(page, f.proposedGroup).getByRole('button', { name: /^批准/ }).count()).resolves.toBe(0);
    const stored = await t.request('GET', `/api/mentoring-groups/${f.proposedGroup}`, { as: f.leader });
    expect(stored.body.state).toBe('active');
    await context.close();
  });

  it('a counselor proposes from the suggestions, least loaded first; two members are refused under the members field', async () => {
    const { context, page } = await openSignedIn(browser, t.url, f.counselor, `/mentoring?propose=${f.students[2]}`, DESKTOP);
    await page.waitForSelector('#suggestions[data-ready="true"] tbody tr');
    const names = await page.locator('#suggestions tbody tr th label').allTextContents();
    const loads = (await page.locator('#suggestions tbody tr td.text-end').allTextContents()).map(Number);
    // Least loaded first: the three teachers already in two groups each come last.
    expect(names.slice(-3).sort()).toEqual(['mt.mentor.c', 'mt.teacher.a', 'mt.teacher.b']);
    expect(names).toEqual(expect.arrayContaining(['mt.mentor.d', 'mt.teacher.e']));
    expect(loads.slice(-3)).toEqual([2, 2, 2]);
    expect(loads.slice(0, -3).every((load) => load === 0)).toBe(true);

    await page.getByLabel('选入 mt.mentor.d').check();
    await page.getByLabel('设 mt.mentor.d 为组长').check();
    await page.getByLabel('选入 mt.teacher.e').check();
    await page.getByLabel('学习兴趣', { exact: true }).check();
    await page.getByLabel('学习兴趣：具体情况').fill('期中考试两门不及格');
    await page.fill('#p-plan', '每周一次学业辅导。');
    await page.click('#propose-submit');
    const feedback = page.locator('#p-members-feedback');
    await page.waitForFunction(() => (document.getElementById('p-members-feedback')?.textContent ?? '') !== '');
    expect(await feedback.isVisible()).toBe(true);
    expect(await feedback.textContent()).toContain('3–5');
    expect(await feedback.textContent()).toContain('当前 2 名');
    await expect(page.textContent('#message')).resolves.toContain('提交未成功');

    await page.getByLabel('选入 mt.teacher.a').check();
    await page.click('#propose-submit');
    await page.waitForSelector('#message.alert-success');
    await expect(page.textContent('#message')).resolves.toContain('已提交审批');
    expect(await feedback.textContent()).toBe('');
    const created = page.locator('#groups tbody tr', { hasText: 'MT00002' });
    await created.locator('[data-state="proposed"]').waitFor();
    await context.close();
  });

  it('a mentor logs an activity with the activity form and sees it in the log; the leader closes with the outcome', async () => {
    const { context, page } = await openSignedIn(browser, t.url, f.teachers[0]!, `/mentoring/mine?group=${f.activeGroup}`, DESKTOP);
    await page.waitForSelector(`body[data-form-ready="${f.activeGroup}"] .formio-form`);
    await expect(page.locator(`#groups [data-group="${f.activeGroup}"]`).textContent()).resolves.toContain('我是组长');
    await page.click('.formio-component-kind .choices');
    await page.locator('.formio-component-kind .choices__list--dropdown .choices__item--selectable', { hasText: '家访' }).click();
    await page.locator('.formio-component-areas').getByLabel('心理疏导').check();
    await page.fill('[name="data[summary]"]', '到学生家中与父母交流，学生情绪稳定，愿意参加心理社团。');
    await page.fill('[name="data[nextStep]"]', '下周陪同去心理中心');
    await page.click('.formio-component-submit button');
    await page.waitForSelector('#message.alert-success');
    await page.locator('#recent li', { hasText: '愿意参加心理社团' }).waitFor();
    await expect(page.locator('#recent li').first().textContent()).resolves.toContain('心理疏导');
    await expect(page.locator(`#groups [data-group="${f.activeGroup}"]`).textContent()).resolves.toContain('共 1 次');

    await page.click('#group-link');
    await page.waitForSelector('body[data-ready="true"]');
    await expect(page.locator('#activities li').first().textContent()).resolves.toContain('愿意参加心理社团');
    await expect(page.textContent('#log-total')).resolves.toContain('1');
    await expect(page.locator('#members tbody tr').count()).resolves.toBe(3);
    await expect(page.locator('#history li').first().textContent()).resolves.toContain('加入');

    // Members: one removed alone would leave two, refused under the members; with one added it is kept.
    await page.locator('#m-remove-list').getByLabel('mt.teacher.b').check();
    await page.fill('#m-reason', '工作调动');
    await page.click('#members-save');
    await page.waitForFunction(() => (document.getElementById('m-members-feedback')?.textContent ?? '') !== '');
    await expect(page.textContent('#m-members-feedback')).resolves.toContain('当前 2 名');
    await page.selectOption('#m-add', { label: 'mt.teacher.e（教师）' });
    await page.click('#members-save');
    await page.waitForSelector('#message.alert-success');
    await expect(page.locator('#members tbody tr th').allTextContents()).resolves.toEqual(expect.arrayContaining(['mt.teacher.e']));
    await expect(page.locator('#members tbody tr').count()).resolves.toBe(3);
    await expect(page.textContent('#history')).resolves.toContain('mt.teacher.b 退出');

    await page.click('#mentee-open');
    await page.waitForSelector('#archive:not(.d-none)');
    await expect(page.textContent('#archive')).resolves.toContain('特殊学生');

    await page.selectOption('#c-kind', 'employed');
    await page.fill('#c-employer', '');
    await page.click('#close');
    await page.waitForFunction(() => (document.getElementById('c-employer-feedback')?.textContent ?? '') !== '' || (document.getElementById('c-date-feedback')?.textContent ?? '') !== '');
    await expect(page.locator('#state [data-state]').textContent()).resolves.toBe('帮扶中');
    await page.fill('#c-employer', '宁波精工机械有限公司');
    // A date in the coming weeks: an outcome lies between the group's proposal and a year ahead.
    await page.fill('#c-date', new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10));
    await page.click('#close');
    await page.locator('#state [data-state="closed"]').waitFor();
    await expect(page.textContent('#outcome')).resolves.toContain('宁波精工机械有限公司');
    expect(await page.isVisible('#close-section')).toBe(false);
    await expect(page.locator('#activities li').first().textContent()).resolves.toContain('愿意参加心理社团');
    await context.close();
  });

  it('on a phone the overview does not widen the page', async () => {
    const { context, page } = await openSignedIn(browser, t.url, f.leader, '/mentoring', PHONE);
    await page.waitForSelector('body[data-ready="true"] #groups tbody tr');
    const wider = await page.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > 391 && !e.closest('.table-responsive')).map((e) => `${e.tagName}.${e.className}`));
    expect(wider).toEqual([]);
    await context.close();
  });
});
