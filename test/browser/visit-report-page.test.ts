import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 7)]);

let t: TestService;
let browser: Browser;
let counselor: Credentials;
const outsideRequests: string[] = [];

async function signIn(page: Page, who: Credentials): Promise<void> {
  await page.goto(`${t.url}/forms/visitReport`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('#username', who.username);
  await page.fill('#password', who.password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/forms\/visitReport$/);
  await page.waitForSelector('[name="data[studentNo]"]');
}

beforeAll(async () => {
  t = await startTestService();
  counselor = await t.staff('counselor', await t.college('XX'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

describe('visit-report page in a real browser', () => {
  let page: Page;

  beforeAll(async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    page = await context.newPage();
    const origin = new URL(t.url).origin;
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) outsideRequests.push(url);
    });
    await signIn(page, counselor);
  });

  it('renders the form from the service with nothing loaded from outside localhost', async () => {
    await expect(page.textContent('#title')).resolves.toBe('家访工作报告');
    expect(await page.isVisible('text=家访照片')).toBe(true);
    expect(outsideRequests).toEqual([]);
  });

  it('shows the Chinese error under the field when submitted incomplete, and saves nothing', async () => {
    await page.click('button[name="data[submit]"]');
    const error = page.locator('.formio-component-studentNo .invalid-feedback, .formio-component-studentNo .formio-errors');
    await expect(error.first().textContent()).resolves.toContain('学号为必填项');
    expect((await t.request('GET', '/form/visitReport/submission', { as: counselor })).body).toEqual([]);
  });

  it('submits a filled report with uploaded photos and the record can be found', async () => {
    await page.fill('[name="data[studentNo]"]', '2024XX0100');
    await page.fill('[name="data[studentName]"]', '赵敏');
    await page.fill('[name="data[college]"]', '信息工程系');
    await page.fill('[name="data[major]"]', '软件技术');
    await page.fill('[name="data[grade]"]', '2024');
    await page.fill('[name="data[visitorNames]"]', '刘老师、王老师');
    await page.fill('[name="data[familyState]"]', '父母在外务工，由祖父母照顾，家庭经济较困难。');
    await page.fill('[name="data[report]"]', '通过视频与家长沟通一小时，介绍了学生在校学习和生活情况以及国家资助政策，家长表示会配合学校做好学生的教育工作，并希望学校多关心孩子。');
    await page.fill('[name="data[reflections]"]', '家访让我深入了解学生的家庭背景，今后将更有针对性地帮助学生。');
    // Choice widgets, radios and checkboxes are set through the renderer's own component API.
    await page.evaluate(() => {
      const form = Object.values((window as unknown as { Formio: { forms: Record<string, { getComponent(k: string): { setValue(v: unknown): void } }> } }).Formio.forms)[0]!;
      form.getComponent('visitDate').setValue('2027-01-18');
      form.getComponent('visitMode').setValue('video');
      form.getComponent('visitKind').setValue('followUp');
      form.getComponent('groupVisit').setValue('group');
      form.getComponent('isRevisit').setValue('yes');
      form.getComponent('publicityConsent').setValue('no');
      form.getComponent('visitorRoles').setValue({ counselor: true, schoolLeader: false, academicMentor: false, growthMentor: false, otherStaff: false });
      form.getComponent('orientations').setValue({ policy: true, ideology: true, study: false, psychology: false, life: true, growth: false });
    });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('.formio-component-photos a.browse')]);
    await chooser.setFiles([
      { name: 'IMG_1.jpg', mimeType: 'image/jpeg', buffer: JPEG },
      { name: 'IMG_2.jpg', mimeType: 'image/jpeg', buffer: JPEG },
    ]);
    await page.waitForFunction(() => {
      const form = Object.values((window as unknown as { Formio: { forms: Record<string, { submission: { data: { photos?: unknown[] } } }> } }).Formio.forms)[0]!;
      return (form.submission.data.photos ?? []).length === 2;
    });
    await page.click('button[name="data[submit]"]');
    await page.waitForSelector('#message.alert-success');
    const id = await page.getAttribute('#message', 'data-submission-id');
    expect(id).toMatch(/^[0-9a-f]{24}$/);

    const record = await t.request('GET', `/form/visitReport/submission/${id}`, { as: counselor });
    expect(record.status).toBe(200);
    expect(record.body.data).toMatchObject({ studentName: '赵敏', visitMode: 'video', visitKind: 'followUp' });
    expect(record.body.data.photos.map((p: { name: string }) => p.name)).toEqual(['赵敏-1.jpg', '赵敏-2.jpg']);
    expect(outsideRequests).toEqual([]);
  });
});
