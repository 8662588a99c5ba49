import { startTestService, type TestService } from '../support/test-service';

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ HSB_BODY_LIMIT_BYTES: '2000' });
});
afterAll(async () => {
  await t.stop();
});

describe('HTTP kernel', () => {
  it('answers /health and /ready without credentials', async () => {
    expect((await t.request('GET', '/health')).body).toEqual({ status: 'ok' });
    expect((await t.request('GET', '/ready')).body).toEqual({ status: 'ready', database: true });
  });

  it('sends security headers and hides the framework', async () => {
    const response = await t.request('GET', '/health');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('keeps a well-formed incoming request id and makes one otherwise', async () => {
    const kept = await t.request('GET', '/health', { headers: { 'X-Request-Id': 'trace-12345678' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-12345678');
    const replaced = await t.request('GET', '/health', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a body over the limit with 413 in the problem shape', async () => {
    const response = await t.request('POST', '/api/auth/login', { body: { username: 'x', password: 'y'.repeat(5000) } });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', messageZh: '请求内容过大' });
  });

  it('answers malformed JSON with 400 and unknown routes with 404, both in the problem shape', async () => {
    const malformed = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"username":' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).messageZh).toMatch(/JSON/);
    const missing = await t.request('GET', '/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('lets an admin create staff users and rejects bad fields by name', async () => {
    const admin = await t.staff('admin');
    const college = await t.college('A');
    const created = await t.request('POST', '/api/users', {
      as: admin,
      body: { username: 'newcounselor', displayName: '新辅导员', role: 'counselor', college: String(college), password: 'secret-pass' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'newcounselor', role: 'counselor' });
    expect(JSON.stringify(created.body)).not.toContain('secret-pass');
    const bad = await t.request('POST', '/api/users', { as: admin, body: { username: 'X!', role: 'wizard' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['displayName', 'role', 'username']);
    const wizard = await t.request('POST', '/api/users', { as: admin, body: { username: 'wizard', displayName: '巫师', role: 'wizard' } });
    expect(wizard.status).toBe(400);
    expect(wizard.body.details[0].path).toBe('role');
    const duplicate = await t.request('POST', '/api/users', { as: admin, body: { username: 'newcounselor', displayName: 'x', role: 'teacher' } });
    expect(duplicate.status).toBe(409);
    const counselor = await t.staff('counselor', college);
    expect((await t.request('POST', '/api/users', { as: counselor, body: { username: 'abc', displayName: 'x', role: 'admin' } })).status).toBe(403);
  });
});
