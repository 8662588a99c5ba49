import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let counselor: Credentials;

beforeAll(async () => {
  t = await startTestService({ HSB_LOGIN_RATE_LIMIT: '3' });
  counselor = await t.staff('counselor', await t.college('A'));
});
afterAll(async () => {
  await t.stop();
});

const login = (password: string) => t.request('POST', '/api/auth/login', { body: { username: counselor.username, password } });

describe('login rate limit (HSB_LOGIN_RATE_LIMIT per minute and address)', () => {
  it('counts only failed sign-ins: many staff may sign in from one address, guessing is stopped', async () => {
    // staff() above already signed in once; successful sign-ins never use up the allowance.
    for (let i = 0; i < 5; i += 1) expect((await login(counselor.password)).status).toBe(200);

    for (let i = 0; i < 3; i += 1) expect((await login('wrong-password')).status).toBe(401);
    const blocked = await login('wrong-password');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', messageZh: '请求过于频繁，请稍后再试' });
    // Once the failures are used up, the right password waits too: otherwise the limit could be probed.
    expect((await login(counselor.password)).status).toBe(429);
  });
});
