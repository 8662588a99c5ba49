import { ApiKeyModel } from '../../server/identity/api-key.model';
import { startTestService, type TestService } from '../support/test-service';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(async () => {
  await t.stop();
});

describe('identity and access', () => {
  it('answers 401 with the problem shape when no credentials are sent', async () => {
    const response = await t.request('GET', '/form');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', messageZh: expect.stringContaining('登录') });
    expect(response.body.messageEn).toMatch(/API key/);
    expect(response.body.requestId).toEqual(response.headers.get('x-request-id'));
  });

  it('rejects a wrong password without saying which part was wrong', async () => {
    const counselor = await t.staff('counselor', await t.college('A'));
    const response = await t.request('POST', '/api/auth/login', { body: { username: counselor.username, password: 'nope' } });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('BAD_CREDENTIALS');
  });

  it('lists every missing login field at once, in Chinese and English', async () => {
    const response = await t.request('POST', '/api/auth/login', { body: {} });
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['password', 'username']);
    expect(response.body.details[0].message).toMatch(/必填/);
  });

  it('forbids a role without the permission (403)', async () => {
    const teacher = await t.staff('teacher', await t.college('A'));
    const response = await t.request('POST', '/api/api-keys', { as: teacher, body: { name: 'x', scopes: ['forms:read'] } });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
  });

  it('creates an API key once, stores only its hash, uses it, and revokes it', async () => {
    const officer = await t.staff('studentAffairs');
    const created = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'n8n', scopes: ['forms:read'] } });
    expect(created.status).toBe(201);
    const plaintext: string = created.body.apiKey;
    expect(plaintext).toMatch(/^hsb_[0-9a-f]{18}_/);

    const stored = await ApiKeyModel.findById(created.body.id).lean();
    expect(JSON.stringify(stored)).not.toContain(plaintext.split('_').slice(2).join('_')); // the secret may itself contain '_'

    const listed = await t.request('GET', '/api/api-keys', { as: officer });
    expect(JSON.stringify(listed.body)).not.toContain(plaintext);

    const me = await t.request('GET', '/api/auth/me', { as: { ...officer, cookie: undefined, apiKey: plaintext } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: officer.username, via: 'apiKey', permissions: ['forms:read'] });

    const forms = await t.request('GET', '/form', { as: { ...officer, cookie: undefined, apiKey: plaintext } });
    expect(forms.status).toBe(200);
    // The key's scope stops it from what its owner could do in the browser.
    const denied = await t.request('GET', '/api/audit', { as: { ...officer, cookie: undefined, apiKey: plaintext } });
    expect(denied.status).toBe(403);

    expect((await t.request('DELETE', `/api/api-keys/${created.body.id}`, { as: officer })).status).toBe(204);
    const afterRevoke = await t.request('GET', '/form', { as: { ...officer, cookie: undefined, apiKey: plaintext } });
    expect(afterRevoke.status).toBe(401);
  });

  it('refuses to grant scopes the creator does not hold', async () => {
    const officer = await t.staff('studentAffairs');
    const response = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'too much', scopes: ['users:manage'] } });
    expect(response.status).toBe(400);
    expect(response.body.details[0]).toMatchObject({ path: 'scopes', rule: 'scopeSubset' });
  });

  it('rejects a forged or malformed API key', async () => {
    const officer = await t.staff('studentAffairs');
    const created = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'n8n', scopes: ['forms:read'] } });
    const forged = created.body.apiKey.slice(0, -4) + 'AAAA';
    expect((await t.request('GET', '/form', { headers: { 'X-API-Key': forged } })).status).toBe(401);
    expect((await t.request('GET', '/form', { headers: { 'X-API-Key': 'not-a-key' } })).status).toBe(401);
  });

  it('refuses cookie-authenticated writes that come from another site', async () => {
    const officer = await t.staff('studentAffairs');
    const response = await t.request('POST', '/api/api-keys', {
      as: officer,
      body: { name: 'csrf', scopes: ['forms:read'] },
      headers: { 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(response.status).toBe(403);
  });
});
