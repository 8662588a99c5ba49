import type { Browser } from 'playwright-core';
import { DESKTOP, PHONE, launchChromium, openSignedIn, seriousAccessibilityViolations } from '../support/browser';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { openCampaign } from '../support/visit-campaign';
import { typicalCaseFixture } from '../support/typical-case-fixture';
import { launchedLetter } from '../support/letter-campaign';
import { feedbackTicket, lettersOf } from '../support/letter-ticket-fixtures';
import { mentoringFixture, type MentoringFixture } from '../support/mentoring-fixtures';

/**
 * Issue #11: every page passes axe-core (WCAG 2.1 A/AA) with no serious or critical violation, at both
 * widths. The workspace pages have their own tests; this one covers the sign-in page, the Form.io pages
 * (a form, the builder), the home-visit pages, "my visits" and a visit report among them, the term-letter pages and the mentoring-group pages.
 */

let t: TestService;
let browser: Browser;
let officer: Credentials;
let counselor: Credentials;
let campaignId: string;
let reportId: string;
let typical: { campaign: string; caseId: string };
let ticketId: string;
let letterId: string;
let mentoring: MentoringFixture;

beforeAll(async () => {
  t = await startTestService();
  const college = await t.college('AX', '信息工程学院');
  officer = await t.staff('studentAffairs', undefined, 'axe.office');
  counselor = await t.staff('counselor', college, 'axe.counselor');
  await seedArchives(college, 'AX', 50);
  campaignId = await openCampaign(t, officer, ['AX']);
  const report = await t.request('POST', '/api/visit-reports', { as: counselor, body: { campaign: campaignId, student: seededNumber('AX', 0), reason: '学生家中突发变故', mode: 'onsite' } });
  if (report.status !== 201) throw new Error(`report not started: ${report.status} ${JSON.stringify(report.body)}`);
  reportId = report.body.id as string;
  const leader = await t.staff('collegeLeader', college, 'axe.leader');
  typical = await typicalCaseFixture(t, { officer, leader, counselor }, 'AX', 'AX00001');
  const letter = await launchedLetter(t, officer, { audience: { colleges: ['AX'] } });
  letterId = letter.id;
  ticketId = await feedbackTicket((await lettersOf(letter.id, {}, 1))[0]!, { owner: counselor.userId, contactWish: { wanted: true, phone: '13900002222', when: '周末' } });
  mentoring = await mentoringFixture(t, 'AM', '机电工程学院');
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

const PAGES: Array<{ name: string; who: () => Credentials; route: () => string; ready: string }> = [
  { name: 'a form (contact log)', who: () => counselor, route: () => '/forms/contactLog', ready: '.formio-form' },
  { name: 'the form builder', who: () => officer, route: () => '/builder/contactLog', ready: '.builder-component' },
  { name: 'home-visit campaigns', who: () => officer, route: () => '/visits', ready: '#campaigns a' },
  { name: 'a campaign overview', who: () => officer, route: () => `/visits/${campaignId}`, ready: '#colleges tbody tr' },
  { name: 'a college’s visit plan', who: () => counselor, route: () => `/visits/${campaignId}/plans/AX`, ready: '.formio-form' },
  { name: 'my visits', who: () => counselor, route: () => `/visits/mine?campaign=${campaignId}`, ready: 'body[data-ready="true"]' },
  { name: 'a visit report', who: () => counselor, route: () => `/visits/reports/${reportId}`, ready: 'body[data-ready="true"] .formio-form' },
  { name: 'a college’s visit statistics', who: () => counselor, route: () => `/visits/${campaignId}/statistics`, ready: '#statistics-table tfoot tr' },
  { name: 'the school’s visit statistics', who: () => officer, route: () => `/visits/${campaignId}/statistics`, ready: '#rollup-table tfoot tr' },
  { name: 'a typical case', who: () => counselor, route: () => `/visits/cases/${typical.caseId}`, ready: '#pictures img' },
  { name: 'a college summary', who: () => counselor, route: () => `/visits/${typical.campaign}/colleges/AX/summary`, ready: '#cases a' },
  { name: 'a parent’s feedback ticket', who: () => counselor, route: () => `/letters/tickets/${encodeURIComponent(ticketId)}`, ready: 'body[data-ready="true"] #responses li' },
  { name: 'term letters', who: () => officer, route: () => '/letters', ready: '#campaigns .list-group-item' },
  { name: 'composing a term letter', who: () => officer, route: () => '/letters/new', ready: 'body[data-ready="true"]' },
  { name: 'a term letter with its progress and report', who: () => officer, route: () => `/letters/${letterId}`, ready: 'body[data-report="true"]' },
  { name: 'mentoring groups', who: () => mentoring.leader, route: () => '/mentoring', ready: 'body[data-ready="true"] #groups tbody tr' },
  { name: 'proposing a mentoring group', who: () => mentoring.counselor, route: () => `/mentoring?propose=${mentoring.students[2]}`, ready: '#suggestions[data-ready="true"] tbody tr' },
  { name: 'my mentees with the activity form', who: () => mentoring.teachers[0]!, route: () => `/mentoring/mine?group=${mentoring.activeGroup}`, ready: 'body[data-ready="true"] .formio-form' },
  { name: 'a mentoring group', who: () => mentoring.counselor, route: () => `/mentoring/${mentoring.activeGroup}`, ready: 'body[data-ready="true"] #members tbody tr' },
];

describe.each([DESKTOP, PHONE])('at %i px', (width) => {
  it('the sign-in page', async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${t.url}/login`);
    await page.waitForSelector('#login');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it.each(PAGES.map((p) => [p.name, p] as const))('%s', async (_name, p) => {
    const { context, page, outsideRequests } = await openSignedIn(browser, t.url, p.who(), p.route(), width);
    await page.waitForSelector(p.ready);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(outsideRequests).toEqual([]);
    await context.close();
  });
});
