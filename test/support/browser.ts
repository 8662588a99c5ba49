import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Credentials } from './test-service';

/** Debian's Chromium, headless, with the flags that keep it off the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export const DESKTOP = 1366;
export const PHONE = 390;

export interface SignedInPage {
  context: BrowserContext;
  page: Page;
  /** Every request the page made outside the service's origin (there must be none: assets are local). */
  outsideRequests: string[];
}

/** Opens `route` as a member of staff would: sent to the sign-in page, signs in, lands back on `route`. */
export async function openSignedIn(browser: Browser, baseUrl: string, who: Credentials, route: string, width = DESKTOP): Promise<SignedInPage> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width, height: 900 } });
  const page = await context.newPage();
  const origin = new URL(baseUrl).origin;
  const outsideRequests: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) outsideRequests.push(url);
  });
  await page.goto(`${baseUrl}${route}`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('#username', who.username);
  await page.fill('#password', who.password);
  await page.click('button[type=submit]');
  const expected = new URL(route, baseUrl);
  await page.waitForURL((url) => url.pathname === expected.pathname);
  return { context, page, outsideRequests };
}

let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * The page's serious and critical accessibility violations by axe-core (WCAG 2.1 A/AA rules). axe is
 * evaluated through the DevTools protocol, which the page's CSP does not govern, so the page is checked
 * exactly as it is served.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<Array<{ id: string; help: string; targets: string[] }>> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }));
}
