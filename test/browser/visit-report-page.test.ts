import { randomBytes } from 'node:crypto';
import en from '@formio/js/lib/cjs/translations/en';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/** A different photo each call: the same bytes uploaded twice count as one photo. */
const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(500)]);

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

/** Fills every field but the photos; `mode` is the visit mode (onsite, video, phone). */
async function fillReport(page: Page, mode: string): Promise<void> {
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
  await page.evaluate((visitMode) => {
    const form = Object.values((window as unknown as { Formio: { forms: Record<string, { getComponent(k: string): { setValue(v: unknown): void } }> } }).Formio.forms)[0]!;
    form.getComponent('visitDate').setValue('2027-01-18');
    form.getComponent('visitMode').setValue(visitMode);
    form.getComponent('visitKind').setValue('followUp');
    form.getComponent('groupVisit').setValue('group');
    form.getComponent('isRevisit').setValue('yes');
    form.getComponent('publicityConsent').setValue('no');
    form.getComponent('visitorRoles').setValue({ counselor: true, schoolLeader: false, academicMentor: false, growthMentor: false, otherStaff: false });
    form.getComponent('orientations').setValue({ policy: true, ideology: true, study: false, psychology: false, life: true, growth: false });
  }, mode);
}

async function attachPhotos(page: Page, count: number): Promise<void> {
  const files = Array.from({ length: count }, (_, i) => ({ name: `IMG_${i + 1}.jpg`, mimeType: 'image/jpeg', buffer: jpeg() }));
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('.formio-component-photos a.browse')]);
  await chooser.setFiles(files);
  await page.waitForFunction((expected) => {
    const form = Object.values((window as unknown as { Formio: { forms: Record<string, { submission: { data: { photos?: unknown[] } } }> } }).Formio.forms)[0]!;
    return (form.submission.data.photos ?? []).length === expected;
  }, count);
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

  it('shows every piece of the renderer’s own text in Chinese, the upload widget included', async () => {
    // Visible text and the screen-reader labels of the upload widget; left out are @formio/js's live
    // announcements ("6 characters remaining.", built in English without i18n in utils.js
    // getScreenReaderMessage) and Choices.js's remove-button label, which no translation table reaches,
    // and the native <select>s that Choices.js hides (their options are the visible Choices items).
    const text = await page.evaluate(() => {
      const copy = document.getElementById('formio')!.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('[ref="announceMessage"], .choices__button, select').forEach((element) => element.remove());
      return copy.textContent!.replace(/\s+/g, ' ');
    });
    expect(text).toContain('拖放文件到此处上传，');
    expect(text).toContain('选择要上传的文件：');
    // Any English text of @formio/js's own table (en.js) would be an untranslated key.
    const english = Object.values(en as Record<string, string>).filter((value) => /^[A-Za-z][A-Za-z ,.'&/-]+$/.test(value));
    expect(english.filter((value) => new RegExp(`(^|[^A-Za-z])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z]|$)`).test(text))).toEqual([]);
    // …and no untranslated key either: no Latin word at all, but the file types a form allows (.jpg, .mp4…).
    expect(text.match(/(?<![.A-Za-z])[A-Za-z]{2,}/g) ?? []).toEqual([]);
  });

  it('shows the Chinese error under the field when submitted incomplete, and saves nothing', async () => {
    await page.click('button[name="data[submit]"]');
    const error = page.locator('.formio-component-studentNo .invalid-feedback, .formio-component-studentNo .formio-errors');
    await expect(error.first().textContent()).resolves.toContain('学号为必填项');
    expect((await t.request('GET', '/form/visitReport/submission', { as: counselor })).body).toEqual([]);
  });

  it('puts the message of a check only the server makes under its field (2 photos for an on-site visit)', async () => {
    await fillReport(page, 'onsite');
    await attachPhotos(page, 2);
    await page.click('button[name="data[submit]"]');
    // Under the photos component (its error container), and in the form's error list above.
    await page.locator('.formio-component-photos .formio-errors', { hasText: '实地家访至少需要 4 张照片（有效 2 张）' }).waitFor();
    await expect(page.textContent('#formio .alert-danger')).resolves.toContain('实地家访至少需要 4 张照片（有效 2 张）');
    expect(await page.textContent('#formio')).not.toMatch(/Could not connect/);
    expect((await t.request('GET', '/form/visitReport/submission', { as: counselor })).body).toEqual([]);
  });

  it('accepts the same report as an online visit, and the record can be found', async () => {
    await page.evaluate(() => {
      const form = Object.values((window as unknown as { Formio: { forms: Record<string, { getComponent(k: string): { setValue(v: unknown): void } }> } }).Formio.forms)[0]!;
      form.getComponent('visitMode').setValue('video');
    });
    await page.click('button[name="data[submit]"]');
    await page.waitForSelector('#message.alert-success');
    const id = await page.getAttribute('#message', 'data-submission-id');
    expect(id).toMatch(/^[0-9a-f]{24}$/);

    const record = await t.request('GET', `/form/visitReport/submission/${id}`, { as: counselor });
    expect(record.status).toBe(200);
    expect(record.body.data).toMatchObject({ studentName: '赵敏', visitMode: 'video', visitKind: 'followUp' });
    expect(record.body.data.photos.map((p: { name: string }) => p.name)).toEqual(['2024XX0100-赵敏-家访-1.jpg', '2024XX0100-赵敏-家访-2.jpg']);
    expect(outsideRequests).toEqual([]);
  });
});
