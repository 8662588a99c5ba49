import { mkdirSync } from 'node:fs';
import path from 'node:path';
import mongoose, { type Types } from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { academicYearOf } from '../../server/calendar/academic-calendar';
import { DESKTOP, PHONE, launchChromium, openSignedIn, seriousAccessibilityViolations } from '../support/browser';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * Issue #11 item 2: the home page `/` is each person's inbox. For a counselor, a college leader, student
 * affairs and a teacher, at 1366 px and 390 px: the rows the API gives, earliest deadline first, each with
 * its kind, student, due time in Beijing time (已逾期 in red when overdue) and a link to where the work is
 * done; filter buttons per kind with counts (aria-pressed); the empty state; the note on a long list; no
 * serious accessibility violation, nothing loaded from outside, nothing wider than a phone.
 * Screenshots: test/browser/screenshots/tasks-<role>-<width>.png.
 */

const SHOTS = path.join(__dirname, 'screenshots');
const YEAR = new Date().getFullYear() + 1;
const THIS_YEAR = academicYearOf(new Date());
const DAY = 86_400_000;
const IMPLEMENTATION = { organization: '学院统一部署', schedule: '寒假期间分批开展', safety: '结伴出行，保持通讯畅通' };

let t: TestService;
let browser: Browser;
let XY: Types.ObjectId;
let counselor: Credentials;
let leader: Credentials;
let officer: Credentials;
let teacher: Credentials;
let idle: Credentials;
let filing: string;
let approving: string;

interface Row {
  id: string;
  kind: string;
  kindZh: string;
  title: string;
  href: string;
  overdue: boolean;
  dueAt: string | null;
  student: { name: string; studentNo: string } | null;
}
interface Answer {
  items: Row[];
  counts: Record<string, number>;
  kinds: Array<{ kind: string; zh: string; count: number }>;
  truncated: boolean;
}

const api = async (who: Credentials, query = ''): Promise<Answer> => (await t.request('GET', `/api/tasks${query}`, { as: who })).body as Answer;

async function raise(who: Credentials, student: string, category: string): Promise<string> {
  const raised = await t.request('POST', '/api/cases', { as: who, body: { student, category, description: '连续两周旷课' } });
  expect(raised.status).toBe(201);
  return raised.body.case.id as string;
}

async function campaign(title: string): Promise<string> {
  const created = await t.request('POST', '/api/visit-campaigns', {
    as: officer,
    body: { title, break: 'winter', visitStartsOn: `${YEAR}-01-15`, visitEndsOn: `${YEAR}-02-20`, planDueAt: `${YEAR}-01-10 12:00`, colleges: ['XY', 'ZZ'] },
  });
  expect(created.status).toBe(201);
  expect((await t.request('POST', `/api/visit-campaigns/${created.body.id}/open`, { as: officer })).status).toBe(200);
  return created.body.id as string;
}

async function submitPlan(campaignId: string, college: string, students: string[], who: Credentials) {
  const route = `/api/visit-campaigns/${campaignId}/plans/${college}`;
  const entries = students.map((student) => ({ student, mode: 'video', kind: 'general', visitors: [{ user: who.username }] }));
  expect((await t.request('PUT', route, { as: who, body: { entries, implementation: IMPLEMENTATION } })).status).toBe(201);
  expect((await t.request('POST', `${route}/submit`, { as: who })).status).toBe(200);
}

/** The rows as the page shows them. */
async function shownRows(page: Page) {
  return page.$$eval('#tasks .task-row', (items) =>
    items.map((item) => ({
      id: (item as HTMLElement).dataset.id!,
      kind: item.querySelector('.task-kind')!.textContent!,
      title: item.querySelector('.task-link')!.textContent!,
      href: item.querySelector('.task-link')!.getAttribute('href')!,
      student: item.querySelector('.task-student')?.textContent ?? null,
      due: item.querySelector('.task-due')!.textContent!,
      overdue: !!item.querySelector('.task-overdue'),
    })),
  );
}

async function filters(page: Page) {
  return page.$$eval('#task-filters button', (buttons) => buttons.map((b) => ({ kind: (b as HTMLElement).dataset.kind!, text: b.textContent!.replace(/\s+/g, ' ').trim(), pressed: b.getAttribute('aria-pressed') })));
}

/** Elements reaching past the right edge of the viewport (none may, on a phone). */
function overflowing(page: Page, width: number) {
  return page.evaluate((w) => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > w + 1).map((e) => `${e.tagName}.${e.className}`), width);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestService();
  XY = await t.college('XY', '信息工程学院');
  const ZZ = await t.college('ZZ', '文学院');
  counselor = await t.staff('counselor', XY, 'liu.counselor');
  leader = await t.staff('collegeLeader', XY, 'wang.leader');
  const leaderZZ = await t.staff('collegeLeader', ZZ, 'sun.leader');
  officer = await t.staff('studentAffairs', undefined, 'zhao.office');
  teacher = await t.staff('teacher', XY, 'chen.teacher');
  idle = await t.staff('teacher', XY, 'zhou.teacher');

  // XY: six students of the counselor (two overdue for a contact, one never), 205 nobody looks after.
  const now = Date.now();
  const mine: Array<Record<string, unknown>> = [
    { name: '陈静', careTier: 'special', lastContactAt: new Date(now - 30 * DAY), lastConfirmedYear: THIS_YEAR },
    { name: '李强', careTier: 'key', lastContactAt: new Date(now - 5 * DAY), lastConfirmedYear: THIS_YEAR },
    { name: '王芳', careTier: 'general' },
    { name: '赵磊', careTier: 'key', lastContactAt: new Date(now - 40 * DAY), lastConfirmedYear: THIS_YEAR },
    { name: '孙悦', careTier: 'general', lastContactAt: new Date(now - DAY), lastConfirmedYear: THIS_YEAR },
    { name: '周洋', careTier: 'general', lastContactAt: new Date(now - DAY), lastConfirmedYear: THIS_YEAR },
  ];
  await seedArchives(XY, 'XY', mine.length, (i) => ({ counselor: counselor.userId, className: '软件1班', ...mine[i] }));
  await seedArchives(XY, 'XN', 205, (i) => ({ name: `新生${i}`, className: '软件2班' }));
  await seedArchives(ZZ, 'ZZ', 3, (i) => ({ name: `文学院学生${i}` }));

  const late = await raise(teacher, seededNumber('XY', 3), 'academic');
  await mongoose.connection.collection('keycases').updateOne({ _id: new mongoose.Types.ObjectId(late) }, { $set: { deadline: new Date(now - 2 * DAY) } });
  expect((await t.request('POST', '/api/cases/escalations', { as: officer })).status).toBe(200);
  await raise(teacher, seededNumber('XY', 1), 'cannotFollow');
  expect((await t.request('POST', '/api/awards', { as: counselor, body: { student: seededNumber('XY', 4), kind: 'award', title: '省级三好学生', level: 'provincial', category: 'honour', date: `${YEAR - 1}-05-20` } })).status).toBe(201);

  // One campaign whose plans are under approval (XY at the leader's step, ZZ at student affairs'), one still to file.
  approving = await campaign(`${YEAR}年寒假家访（第一批）`);
  await submitPlan(approving, 'XY', [seededNumber('XY', 0), seededNumber('XN', 1), seededNumber('XN', 2)], counselor);
  await submitPlan(approving, 'ZZ', [seededNumber('ZZ', 0)], leaderZZ);
  expect((await t.request('POST', `/api/visit-campaigns/${approving}/plans/ZZ/approve`, { as: leaderZZ, body: {} })).status).toBe(200);
  filing = await campaign(`${YEAR}年寒假家访（第二批）`);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

const people = () => [
  { role: 'counselor', who: counselor, filter: 'contact' },
  { role: 'college-leader', who: leader, filter: 'planApproval' },
  { role: 'student-affairs', who: officer, filter: 'planApproval' },
  { role: 'teacher', who: teacher, filter: 'raisedCase' },
];

describe.each([DESKTOP, PHONE])('the inbox at %i px', (width) => {
  it.each(['counselor', 'college-leader', 'student-affairs', 'teacher'])('%s: rows earliest first with kind, student, due time and link; filters; accessible; local only', async (role) => {
    const { who, filter } = people().find((p) => p.role === role)!;
    const expected = await api(who);
    expect(expected.items.length).toBeGreaterThan(1);
    const { context, page, outsideRequests } = await openSignedIn(browser, t.url, who, '/', width);
    await page.locator('#tasks .task-row').first().waitFor();

    const rows = await shownRows(page);
    expect(rows.map((r) => r.id)).toEqual(expected.items.map((r) => r.id));
    expect(rows.map((r) => r.href)).toEqual(expected.items.map((r) => r.href));
    expect(rows.map((r) => r.title)).toEqual(expected.items.map((r) => r.title));
    expect(rows.map((r) => r.kind)).toEqual(expected.items.map((r) => r.kindZh));
    expect(rows.map((r) => r.overdue)).toEqual(expected.items.map((r) => r.overdue));
    for (const [i, row] of expected.items.entries()) {
      if (row.student) expect(rows[i]!.student).toContain(`${row.student.name}（${row.student.studentNo}）`);
      if (row.dueAt) {
        const beijing = new Date(row.dueAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
        expect(rows[i]!.due).toBe(`截止 ${beijing}${row.overdue ? ' 已逾期' : ''}`);
      }
    }
    await expect(page.locator('.task-overdue').first().evaluate((e) => getComputedStyle(e).backgroundColor)).resolves.toBe('rgb(220, 53, 69)');

    // Filter buttons: 全部 and every kind with tasks, with counts, one pressed at a time.
    const total = Object.values(expected.counts).reduce((sum, n) => sum + n, 0);
    const kinds = expected.kinds.filter((k) => k.count > 0);
    expect(await filters(page)).toEqual([
      { kind: '', text: `全部 ${total}`, pressed: 'true' },
      ...kinds.map((k) => ({ kind: k.kind, text: `${k.zh} ${k.count}`, pressed: 'false' })),
    ]);
    const overdue = expected.items.filter((r) => r.overdue).length;
    await expect(page.textContent('#tasks-summary')).resolves.toBe(`共 ${total} 项待办，${expected.truncated ? '当前列表中' : '其中'} ${overdue} 项已逾期，最早到期的在前。`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    if (width === PHONE) expect(await overflowing(page, PHONE)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `tasks-${role}-${width}.png`), fullPage: role !== 'college-leader' });

    await page.click(`#task-filters button[data-kind="${filter}"]`);
    const only = await api(who, `?kind=${filter}`);
    await page.waitForFunction((n) => document.querySelectorAll('#tasks .task-row').length === n && document.querySelector('#task-filters button[aria-pressed="true"]')?.getAttribute('data-kind') === document.querySelector('#tasks .task-row')?.getAttribute('data-kind'), only.items.length);
    expect((await shownRows(page)).map((r) => r.id)).toEqual(only.items.map((r) => r.id));
    expect((await filters(page)).filter((f) => f.pressed === 'true').map((f) => f.kind)).toEqual([filter]);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-kind'))).resolves.toBe(filter);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.click('#task-filters button[data-kind=""]');
    await page.waitForFunction((n) => document.querySelectorAll('#tasks .task-row').length === n, expected.items.length);

    await context.close();
    expect(outsideRequests).toEqual([]);
  });
});

describe('what each person sees', () => {
  it('links every row to where the work is done: the student’s section or the college’s visit plan', async () => {
    const mine = await api(counselor);
    const archive = mine.items.find((r) => r.kind === 'archive')!;
    expect(archive.href).toMatch(/^\/students\/[0-9a-f]{24}#archive$/);
    expect(mine.items.find((r) => r.kind === 'contact')!.href).toMatch(/^\/students\/[0-9a-f]{24}#contacts$/);
    expect(mine.items.find((r) => r.kind === 'case')!.href).toMatch(/^\/students\/[0-9a-f]{24}#cases$/);
    expect(mine.items.find((r) => r.kind === 'award')!.href).toMatch(/^\/students\/[0-9a-f]{24}#awards$/);
    expect(mine.items.find((r) => r.kind === 'planToFile')!.href).toBe(`/visits/${filing}/plans/XY`);
    expect((await api(leader, '?kind=planApproval')).items.map((r) => r.href)).toEqual([`/visits/${approving}/plans/XY`]);
    expect((await api(officer, '?kind=planApproval')).items.map((r) => r.href)).toEqual([`/visits/${approving}/plans/ZZ`]);

    // Following a link lands on that page (the plan page here; student pages are the archive module's).
    const { context, page } = await openSignedIn(browser, t.url, leader, '/', DESKTOP);
    await page.click(`#task-filters button[data-kind="planApproval"]`);
    await page.locator('#tasks .task-row[data-kind="planApproval"]').waitFor();
    await page.click('#tasks .task-row[data-kind="planApproval"] .task-link');
    await page.waitForURL((url) => url.pathname === `/visits/${approving}/plans/XY`);
    await context.close();
  });

  it('says when a list is longer than shown (the leader: 205 students nobody looks after)', async () => {
    const { context, page } = await openSignedIn(browser, t.url, leader, '/', PHONE);
    await page.locator('#tasks-truncated:not(.d-none)').waitFor();
    const expected = await api(leader);
    expect(expected.truncated).toBe(true);
    const total = Object.values(expected.counts).reduce((sum, n) => sum + n, 0);
    await expect(page.textContent('#tasks-truncated')).resolves.toBe(`待办较多：仅显示最早到期的 200 项（共 ${total} 项）。处理完这些后刷新，或按类型筛选查看。`);
    await expect(page.locator('#tasks .task-row').count()).resolves.toBe(200);
    await context.close();
  });

  it('shows the empty state to someone with nothing waiting', async () => {
    expect((await api(idle)).items).toEqual([]);
    for (const width of [DESKTOP, PHONE]) {
      const { context, page, outsideRequests } = await openSignedIn(browser, t.url, idle, '/', width);
      await page.locator('#tasks-empty:not(.d-none)').waitFor();
      await expect(page.textContent('#tasks-empty')).resolves.toContain('暂无待办，您已处理完所有事项');
      await expect(page.locator('#tasks .task-row').count()).resolves.toBe(0);
      await expect(page.locator('#task-filters button').count()).resolves.toBe(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(SHOTS, `tasks-empty-${width}.png`) });
      await context.close();
      expect(outsideRequests).toEqual([]);
    }
  });

  it('drops a row as soon as its work is done (a contact logged, then the page reloaded)', async () => {
    const { context, page } = await openSignedIn(browser, t.url, counselor, '/', DESKTOP);
    const first = page.locator('#tasks .task-row[data-kind="contact"]').first();
    await first.waitFor();
    const id = await first.getAttribute('data-id');
    const studentId = id!.split(':')[1]!;
    expect((await t.request('POST', '/api/contacts', { as: counselor, body: { student: studentId, guardianName: '家长', channel: 'phone', topics: ['grades'], summary: '电话沟通', parentFeedback: '家长表示配合' } })).status).toBe(201);
    await page.reload();
    await page.locator('#tasks .task-row').first().waitFor();
    await expect(page.locator(`#tasks .task-row[data-id="${id}"]`).count()).resolves.toBe(0);
    await context.close();
  });
});
