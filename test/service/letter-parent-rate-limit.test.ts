import { startTestService, type TestService } from '../support/test-service';

/**
 * B6: the parent's letter routes are rate-limited per address (HSB_LETTER_RATE_LIMIT a minute), before the
 * link is even looked at: guessing links costs a minute per few tries, and a valid link waits too.
 */
let t: TestService;

beforeAll(async () => {
  t = await startTestService({ HSB_LETTER_RATE_LIMIT: '4' });
});
afterAll(async () => {
  await t?.stop();
});

describe('parent letter rate limit (HSB_LETTER_RATE_LIMIT per minute and address)', () => {
  it('answers 429 RATE_LIMITED once the address used up its requests, on every parent route', async () => {
    const guess = (i: number) => `0123456789abcdef0123456${i}.${'A'.repeat(27)}`;
    for (let i = 0; i < 4; i += 1) {
      const response = await t.request('GET', `/api/parent-letters/${guess(i)}`);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('LETTER_NOT_FOUND');
    }
    const blocked = await t.request('GET', `/api/parent-letters/${guess(5)}`);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'RATE_LIMITED', messageZh: '操作过于频繁，请一分钟后再试' });
    expect((await t.request('POST', `/api/parent-letters/${guess(6)}/feedback`, { body: { submissionId: 'abcdefgh', items: [] } })).status).toBe(429);
    expect((await t.request('GET', `/api/parent-letters/${guess(7)}/pictures/0123456789abcdef01234567`)).status).toBe(429);
    // Staff routes are not limited by it.
    expect((await t.request('GET', '/api/letter-campaigns')).status).toBe(401);
  });
});
