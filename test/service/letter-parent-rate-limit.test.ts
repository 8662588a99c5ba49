import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, start, stop, type Started } from '../support/service-process';

/**
 * B6 link safety, on the compiled service as `npm start` runs it: the parent's letter routes are rate-limited
 * per address (HSB_LETTER_RATE_LIMIT a minute) before a link is even looked at, and the request log never
 * shows a link's secret — neither of the page `/l/<token>` nor of the API.
 */
let service: Started | undefined;
let url: string;

beforeAll(async () => {
  const port = await freePort();
  service = await start(mkdtempSync(path.join(os.tmpdir(), 'hsb-letter-limit-')), port, { HSB_LETTER_RATE_LIMIT: '4', HSB_LOG_LEVEL: 'info' });
  url = `http://127.0.0.1:${port}`;
}, 150_000);
afterAll(async () => {
  if (service) await stop(service);
});

const secret = 'Zq9' + 'x'.repeat(21) + 'Yk7';
const guess = (i: number) => `0123456789abcdef0123456${i}.${secret}`;
const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });

describe('parent letter links: rate limit per address and a log without secrets', () => {
  it('answers 429 RATE_LIMITED once the address used up its requests, on every parent route', async () => {
    for (let i = 0; i < 4; i += 1) {
      const answer = await json(await fetch(`${url}/api/parent-letters/${guess(i)}`));
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('LETTER_NOT_FOUND');
    }
    const blocked = await json(await fetch(`${url}/api/parent-letters/${guess(5)}`));
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'RATE_LIMITED', messageZh: '操作过于频繁，请一分钟后再试' });
    const post = await fetch(`${url}/api/parent-letters/${guess(6)}/feedback`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ submissionId: 'abcdefgh', items: [] }) });
    expect(post.status).toBe(429);
    expect((await fetch(`${url}/api/parent-letters/${guess(7)}/pictures/0123456789abcdef01234567`)).status).toBe(429);
    // Staff routes are not limited by it; the page itself is only a file.
    expect((await fetch(`${url}/api/letter-campaigns`)).status).toBe(401);
    expect((await fetch(`${url}/l/${guess(8)}`)).status).toBe(200);
  });

  it('logs the parent routes with the letter id only, never the secret', async () => {
    await fetch(`${url}/L/${guess(9)}?from=sms`);
    const until = Date.now() + 5_000;
    while (!service!.output().includes(`/L/0123456789abcdef01234569.[redacted]?from=sms`) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const log = service!.output();
    expect(log).toContain('/api/parent-letters/0123456789abcdef01234560.[redacted]');
    expect(log).toContain('/l/0123456789abcdef01234568.[redacted]');
    expect(log).toContain('/L/0123456789abcdef01234569.[redacted]?from=sms');
    expect(log).not.toContain(secret);
  });
});
