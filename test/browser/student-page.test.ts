import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Types } from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { AuditEntryModel } from '../../server/audit/audit-entry.model';
import { DESKTOP, launchChromium, openSignedIn, PHONE, seriousAccessibilityViolations, type SignedInPage } from '../support/browser';
import { seedArchives } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * Issue #11, item 3, "Must show": a counselor finds a student on /students, opens the student page, shows
 * the sensitive part (an audit entry appears), logs a contact from the page and the student leaves the
 * overdue list; a teacher opens a student by number, cannot show the medical history and sees why; a
 * college leader must type a reason first. Each role at 1366 px and 390 px, with axe-core, no request
 * leaving the service, no sideways scrolling of the page, and screenshots in test/browser/screenshots/.
 */

const SHOTS = path.join(__dirname, 'screenshots');
const MEDICAL = '哮喘，随身携带沙丁胺醇气雾剂';
const FINANCES = '父亲务工，家庭年收入约 3 万元';

let t: TestService;
let browser: Browser;
let XY: Types.ObjectId;
let counselor: Credentials;
let teacher: Credentials;
let leader: Credentials;
const outsideRequests: string[] = [];
const ids = new Map<string, string>();

/** Two students the counselor looks after, one per width, both due a contact (special tier, never contacted). */
const STUDENTS = [
  { width: DESKTOP, studentNo: '2024XY1001', name: '陈静', guardian: '陈建国' },
  { width: PHONE, studentNo: '2024XY1002', name: '林峰', guardian: '林秀英' },
];

async function open(who: Credentials, route: string, width: number): Promise<SignedInPage> {
  const opened = await openSignedIn(browser, t.url, who, route, width);
  opened.page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(new URL(t.url).origin) && !url.startsWith('data:') && !url.startsWith('blob:')) outsideRequests.push(url);
  });
  outsideRequests.push(...opened.outsideRequests);
  return opened;
}

async function loaded(page: Page): Promise<void> {
  await page.locator('body[data-loaded="true"]').waitFor();
}

/** Elements that reach past the right edge of the viewport (the page must not scroll sideways). */
function overflowing(page: Page, width: number): Promise<string[]> {
  return page.evaluate((w) => {
    const scrollers = Array.from(document.querySelectorAll('.table-responsive, .section-nav'));
    return Array.from(document.querySelectorAll('main *'))
      .filter((e) => e.getBoundingClientRect().right > w + 1 && !scrollers.some((s) => s !== e && s.contains(e)) && (e as HTMLElement).offsetParent !== null)
      .map((e) => `${e.tagName}#${e.id}.${e.className}`);
  }, width);
}

const overdueNumbers = async (as: Credentials): Promise<string[]> => {
  const overdue = await t.request('GET', '/api/contacts/overdue', { as });
  expect(overdue.status).toBe(200);
  return overdue.body.counselors.flatMap((c: { students: Array<{ studentNo: string }> }) => c.students.map((s) => s.studentNo));
};

const sensitiveReads = (studentId: string, username: string) => AuditEntryModel.find({ action: 'read-sensitive', resourceId: studentId, 'actor.username': username }).sort({ at: 1, _id: 1 }).lean();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestService();
  XY = await t.college('XY', '信息工程学院');
  counselor = await t.staff('counselor', XY, 'liu.counselor');
  teacher = await t.staff('teacher', XY, 'chen.teacher');
  leader = await t.staff('collegeLeader', XY, 'wang.leader');
  // Classmates, so that the list pages by key and the search has something to pass over.
  await seedArchives(XY, '2024XY', 45, (i) => ({ name: `同学${i}`, major: '软件技术', className: '软件1班', counselor: counselor.userId, lastContactAt: new Date() }));
  for (const s of STUDENTS) {
    const created = await t.request('POST', '/api/students', {
      as: counselor,
      body: {
        studentNo: s.studentNo, name: s.name, gender: '女', birthDate: '2006-03-01', college: 'XY', major: '软件技术', grade: '2024', className: '软件1班',
        counselor: counselor.username, guardians: [{ name: s.guardian, relation: '父亲', phone: '13800138000' }], homeAddress: '江西省南昌市红谷滩区 1 号',
        careTier: 'special', specialCategories: ['financialHardship', 'chronicIllness'], supportPlan: '每月谈心一次，协助申请助学金', medicalHistory: MEDICAL, familyFinances: FINANCES,
      },
    });
    expect(created.status).toBe(201);
    ids.set(s.studentNo, created.body.id);
    // A second revision for the history, and an award that earns a 喜报.
    expect((await t.request('PATCH', `/api/students/${s.studentNo}`, { as: counselor, body: { className: '软件2班' } })).status).toBe(200);
    expect((await t.request('POST', '/api/awards', { as: counselor, body: { student: s.studentNo, kind: 'award', title: '全国职业院校技能大赛一等奖', level: 'national', category: 'competition', date: '2026-10-01' } })).status).toBe(201);
  }
  expect((await t.request('POST', '/api/cases', { as: teacher, body: { student: '2024XY1001', category: 'academic', description: '本学期三门课程不及格' } })).status).toBe(201);
  // A winter visit campaign whose plan names the first student.
  const officer = await t.staff('studentAffairs', undefined, 'zhao.office');
  const year = new Date().getFullYear() + 1;
  const campaign = await t.request('POST', '/api/visit-campaigns', { as: officer, body: { title: `${year}年寒假家访`, break: 'winter', visitStartsOn: `${year}-01-15`, visitEndsOn: `${year}-02-20`, planDueAt: `${year}-01-10 12:00` } });
  expect((await t.request('POST', `/api/visit-campaigns/${campaign.body.id}/open`, { as: officer })).status).toBe(200);
  const plan = await t.request('PUT', `/api/visit-campaigns/${campaign.body.id}/plans/XY`, { as: counselor, body: { entries: [{ student: '2024XY1001', mode: 'onsite', kind: 'followUp', visitors: [{ user: counselor.username }], plannedOn: `${year}-01-20` }] } });
  expect(plan.status).toBe(201);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

describe.each(STUDENTS)('a counselor at $width px', ({ width, studentNo, name, guardian }) => {
  it('finds the student by name, opens the page, shows the sensitive part (audited) and logs a contact that takes the student off the overdue list', async () => {
    const id = ids.get(studentNo)!;
    const before = (await sensitiveReads(id, counselor.username)).length;
    expect(await overdueNumbers(counselor)).toContain(studentNo);
    const { context, page } = await open(counselor, '/', width);
    // The counselor's inbox lists the family as overdue for a contact…
    const overdueInInbox = async () => {
      await page.locator('#task-filters button').first().waitFor();
      // The filter of a kind shows only while it has tasks.
      if ((await page.locator('#task-filters button[data-kind="contact"]').count()) === 0) return 0;
      await page.locator('#task-filters button[data-kind="contact"]').click();
      await page.locator('#task-filters button[data-kind="contact"][aria-pressed="true"]').waitFor();
      await page.locator('#tasks-summary:not(:empty)').waitFor();
      return page.locator('.task-row[data-kind="contact"]', { hasText: studentNo }).count();
    };
    await expect(overdueInInbox()).resolves.toBe(1);
    await page.goto(`${t.url}/students`);

    // The list opens on the counselor's own students, paged by number.
    await page.locator('#results .student-result').first().waitFor();
    await expect(page.locator('#results .student-result').count()).resolves.toBe(20);
    await expect(page.isVisible('#more')).resolves.toBe(true);
    await page.click('#more');
    await page.locator('#results .student-result').nth(20).waitFor();
    await expect(page.textContent('#result-status')).resolves.toContain('已显示 40 名学生');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(await overflowing(page, width)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `students-counselor-${width}.png`), fullPage: true });

    await page.fill('#q', name);
    await page.click('#search-button');
    const result = page.locator('#results .student-result', { hasText: name });
    await result.waitFor();
    await expect(page.locator('#results .student-result').count()).resolves.toBe(1);
    await expect(result.textContent()).resolves.toContain('特殊学生');
    expect(new URL(page.url()).searchParams.get('q')).toBe(name);
    await result.click();
    await page.waitForURL((url) => url.pathname === `/students/${id}`);
    await loaded(page);

    await expect(page.textContent('h1')).resolves.toBe(name);
    for (const section of ['archive', 'guardians', 'history', 'contacts', 'cases', 'awards', 'visits', 'letters', 'mentoring']) {
      await expect([section, await page.isVisible(`section#${section}`)]).toEqual([section, true]);
    }
    await expect(page.textContent('#archive')).resolves.toContain('信息工程学院');
    await expect(page.textContent('#archive')).resolves.toContain('家庭经济困难、慢性病');
    await expect(page.textContent('#guardians')).resolves.toContain(guardian);
    await expect(page.textContent('#history-list')).resolves.toContain('第 2 版');
    await expect(page.textContent('#history-list')).resolves.toContain('班级');
    await expect(page.textContent('#diff-body')).resolves.toContain('病史');
    await expect(page.getAttribute('#awards a:has-text("喜报（打印）")', 'href')).resolves.toMatch(/^\/api\/awards\/[0-9a-f]{24}\/letter$/);
    await expect(page.textContent('#visits-reports')).resolves.toContain('尚无已提交的家访记录');
    if (studentNo === '2024XY1001') {
      await expect(page.textContent('#visits-planned')).resolves.toContain(`${new Date().getFullYear() + 1}年寒假家访`);
      await expect(page.textContent('#visits-planned')).resolves.toContain('实地家访 · 随访');
    } else {
      await expect(page.textContent('#visits-planned')).resolves.toContain('没有安排该生');
    }
    await expect(page.textContent('#letters')).resolves.toContain('将在此显示');
    await expect(page.textContent('#mentoring')).resolves.toContain('将在此显示');
    if (studentNo === '2024XY1001') await expect(page.textContent('#cases')).resolves.toContain('本学期三门课程不及格');

    // Nothing sensitive was opened with the page: not shown, not audited (the reads so far are the
    // answers to creating and changing the archive, which carry the values to their writer).
    expect(await page.textContent('body')).not.toContain(MEDICAL);
    await expect(page.textContent('#sensitive-held')).resolves.toContain('病史、家庭经济情况');
    expect(await sensitiveReads(id, counselor.username)).toHaveLength(before);
    // The student's own counselor shows it without a reason; the show is audited.
    await expect(page.isVisible('#sensitive-reason')).resolves.toBe(false);
    await page.click('#sensitive-show');
    await page.locator('#sensitive-values', { hasText: MEDICAL }).waitFor();
    await expect(page.textContent('#sensitive-values')).resolves.toContain(FINANCES);
    await expect(page.textContent('#sensitive-audited')).resolves.toContain('记入审计日志');
    const reads = await sensitiveReads(id, counselor.username);
    expect(reads).toHaveLength(before + 1);
    expect(reads[before]!.fields).toEqual(['medicalHistory', 'familyFinances']);
    expect(reads[before]!.reason).toBeUndefined();

    // Log a contact from the page: first without the parents' feedback (the service's message beside the field).
    await page.click('#contact-log summary');
    await expect(page.inputValue('#contact-guardianName')).resolves.toBe(guardian);
    await page.check('#contact-topic-grades');
    await page.fill('#contact-summary', '沟通本学期学习情况，提醒按时完成补考报名');
    await page.click('#contact-submit');
    await page.locator('#contact-parentFeedback-error', { hasText: '家长反馈意见为必填项' }).waitFor();
    await expect(page.textContent('#contact-parentFeedback-error')).resolves.toContain('parentFeedback is required');
    await expect(page.getAttribute('#contact-parentFeedback', 'aria-invalid')).resolves.toBe('true');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(await overdueNumbers(counselor)).toContain(studentNo);

    await page.fill('#contact-parentFeedback', '家长表示会督促孩子复习，希望学校及时反馈补考安排');
    await page.fill('#contact-followUp', '补考前再电话联系一次');
    await page.click('#contact-submit');
    await page.locator('#message.alert-success', { hasText: '已记录与家长的沟通' }).waitFor();
    await page.locator('#contacts-list', { hasText: '沟通本学期学习情况，提醒按时完成补考报名' }).waitFor();
    await expect(page.textContent('#contacts-list')).resolves.toContain('家长反馈：家长表示会督促孩子复习');
    await expect(page.textContent('#contacts-list')).resolves.toContain('跟进：补考前再电话联系一次');
    await expect(page.textContent('#archive')).resolves.not.toContain('尚无记录');
    const contacts = await t.request('GET', `/api/contacts?student=${id}`, { as: counselor });
    expect(contacts.body.items).toEqual([expect.objectContaining({ guardianName: guardian, channel: 'phone', topics: ['grades'], owner: String(counselor.userId) })]);
    expect(await overdueNumbers(counselor)).not.toContain(studentNo);
    // …and it has left the inbox once the contact is logged.
    await page.goto(`${t.url}/`);
    await expect(overdueInInbox()).resolves.toBe(0);
    await page.goBack();
    await loaded(page);

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(await overflowing(page, width)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `student-page-counselor-${width}.png`), fullPage: true });
    await context.close();
    expect(outsideRequests).toEqual([]);
  });
});

describe.each([DESKTOP, PHONE])('a teacher at %i px', (width) => {
  it('sees why there is no list, opens a student by number, and cannot show the medical history — and sees why', async () => {
    const { context, page } = await open(teacher, '/students', width);
    await page.locator('#lookup-section:not(.d-none)').waitFor();
    await expect(page.isVisible('#search-section')).resolves.toBe(false);
    await expect(page.textContent('#lookup-why')).resolves.toContain('教师不能浏览学生名单');
    await page.fill('#studentNo', '2024XY10');
    await page.click('#lookup-button');
    await page.locator('#studentNo-error', { hasText: '未找到学号为“2024XY10”的学生' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `students-teacher-${width}.png`), fullPage: true });

    await page.fill('#studentNo', '2024XY1001');
    await page.click('#lookup-button');
    const id = ids.get('2024XY1001')!;
    await page.waitForURL((url) => url.pathname === `/students/${id}`);
    await loaded(page);
    await expect(page.textContent('h1')).resolves.toBe('陈静');
    await expect(page.isVisible('#sensitive-refusal')).resolves.toBe(true);
    await expect(page.textContent('#sensitive-refusal')).resolves.toContain('按照《个人信息保护法》的最小必要原则，学生的医疗史、心理状况和家庭经济情况只对负责该生的辅导员、本院系领导和学工部开放，教师不能查看');
    await expect(page.textContent('#sensitive-refusal')).resolves.toContain("PIPL's need-to-know rule");
    await expect(page.isVisible('#sensitive-show')).resolves.toBe(false);
    expect(await page.textContent('body')).not.toContain(MEDICAL);
    // The service refuses the same (the button is not hidden only in the page).
    const forced = await page.evaluate((studentId) => fetch(`/api/students/${studentId}/sensitive-reads`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: '{"reason":"我想看一下病史"}' }).then((r) => r.status), id);
    expect(forced).toBe(403);
    expect(await sensitiveReads(id, teacher.username)).toHaveLength(0);
    // What a teacher sees of the liaison: the case they raised, and that the list is their own.
    await expect(page.textContent('#cases')).resolves.toContain('仅显示您上报的重点沟通事项');
    await expect(page.textContent('#cases')).resolves.toContain('本学期三门课程不及格');
    await expect(page.textContent('#contacts-note')).resolves.toContain('仅显示您本人记录的沟通');
    await expect(page.textContent('#awards')).resolves.toContain('您的角色不查看');

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(await overflowing(page, width)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `student-page-teacher-${width}.png`), fullPage: true });
    await context.close();
    expect(outsideRequests).toEqual([]);
  });
});

describe.each([DESKTOP, PHONE])('a college leader at %i px', (width) => {
  it('must type a reason before the sensitive part is shown, and the reason is audited', async () => {
    const id = ids.get(width === DESKTOP ? '2024XY1001' : '2024XY1002')!;
    const before = (await sensitiveReads(id, leader.username)).length;
    const { context, page } = await open(leader, `/students/${id}`, width);
    await loaded(page);
    await expect(page.isVisible('#sensitive-reason')).resolves.toBe(true);
    await expect(page.textContent('#sensitive-reason-help')).resolves.toContain('您不是该生的辅导员，查看须说明原因（至少 5 个字）');
    await page.click('#sensitive-show');
    await page.locator('#sensitive-reason-error', { hasText: '须填写原因' }).waitFor();
    await expect(page.textContent('#sensitive-reason-error')).resolves.toContain('say which field and why');
    await expect(page.getAttribute('#sensitive-reason', 'aria-invalid')).resolves.toBe('true');
    await expect(page.isVisible('#sensitive-values')).resolves.toBe(false);
    expect(await sensitiveReads(id, leader.username)).toHaveLength(before);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const reason = `核对病史，安排军训免训（${width}）`;
    await page.fill('#sensitive-reason', reason);
    await page.click('#sensitive-show');
    await page.locator('#sensitive-values', { hasText: MEDICAL }).waitFor();
    await expect(page.textContent('#sensitive-audited')).resolves.toContain(`原因：${reason}`);
    const reads = await sensitiveReads(id, leader.username);
    expect(reads).toHaveLength(before + 1);
    expect(reads.map((r) => r.reason)).toContain(reason);

    // Hiding takes the values off the page again.
    await page.click('#sensitive-hide');
    expect(await page.textContent('body')).not.toContain(MEDICAL);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(await overflowing(page, width)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `student-page-collegeLeader-${width}.png`), fullPage: true });
    await context.close();
    expect(outsideRequests).toEqual([]);
  });
});
