import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startTestService, type Credentials, type TestService } from '../support/test-service';


let t: TestService;
let browser: Browser;
let officer: Credentials;

beforeAll(async () => {
  t = await startTestService();
  officer = await t.staff('studentAffairs');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t.stop();
});

describe('form builder page', () => {
  it('edits a field label in the builder and saves the form as a new version', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const [name, value] = officer.cookie!.split('=');
    await context.addCookies([{ name: name!, value: value!, url: t.url }]);
    const page = await context.newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(t.url) && !/^(data|blob):/.test(r.url())) outside.push(r.url());
    });
    await page.goto(`${t.url}/builder/termLetterFeedback`);
    await page.waitForSelector('.formio-component-parentName');
    await expect(page.textContent('#version')).resolves.toBe('v1');

    await page.hover('.builder-component:has(.formio-component-parentName)');
    await page.click('.builder-component:has(.formio-component-parentName) .component-settings-button-edit');
    await page.fill('.formio-dialog [name="data[label]"]', '家长姓名（监护人）');
    await page.click('.formio-dialog [ref="saveButton"]');
    await page.waitForSelector('.formio-dialog', { state: 'detached' });
    await page.click('#save');
    await page.waitForSelector('#message.alert-success');
    await expect(page.textContent('#version')).resolves.toBe('v2');

    const form = await t.request('GET', '/form/termLetterFeedback', { as: officer });
    expect(form.body.version).toBe(2);
    const label = JSON.stringify(form.body.components);
    expect(label).toContain('家长姓名（监护人）');
    expect(outside).toEqual([]);
  });

  it('is refused to a counselor: saving answers 403 and no version is made', async () => {
    const counselor = await t.staff('counselor', await t.college('A'));
    const response = await t.request('PUT', '/form/termLetterFeedback', { as: counselor, body: { title: 'x', components: [{ type: 'textfield', key: 'a', input: true }] } });
    expect(response.status).toBe(403);
    expect((await t.request('GET', '/form/termLetterFeedback/v', { as: officer })).body).toHaveLength(2);
  });
});
