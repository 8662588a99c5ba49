import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let counselor: Credentials;
let studentId: string;

beforeAll(async () => {
  t = await startTestService();
  const college = await t.college('A');
  counselor = await t.staff('counselor', college);
  const created = await t.request('POST', '/api/students', {
    as: counselor,
    body: { studentNo: '2024E0001', name: '韩梅梅', gender: '女', birthDate: '2006-05-04', college: 'A', major: '会计', grade: '2024', className: '会计1班' },
  });
  expect(created.status).toBe(201);
  studentId = created.body.id;
});
afterAll(async () => {
  await t.stop();
});

describe('every body and query is parsed by a schema at the edge', () => {
  it.each([
    ['an operator parameter', '/api/students?name[$gt]=', 'name[$gt]'],
    ['an unknown parameter', '/api/students?colour=red', 'colour'],
    ['a non-number page size', '/api/students?limit=ten', 'limit'],
    ['a page size above the maximum', '/api/students?limit=100000', 'limit'],
    ['a repeated parameter', '/api/students?grade=2024&grade=2025', 'grade'],
    ['a parameter on a route that takes none', `/api/students/${'2024E0001'}?x=1`, 'x'],
    ['a malformed academic year', '/api/students/stale-by-counselor?academicYear=2025-2027', 'academicYear'],
  ])('refuses %s with 400 naming it', async (_what, route, field) => {
    const response = await t.request('GET', route, { as: counselor });
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(response.body.messageZh).toBeTruthy();
  });

  it.each([
    ['an object for a text field', { name: { first: '韩' } }, 'name'],
    ['a list for a text field', { major: ['会计', '金融'] }, 'major'],
    ['a number for a text field', { grade: 2024 }, 'grade'],
    ['an unknown field', { nickname: '梅梅' }, 'nickname'],
    ['a guardian with an unknown field', { guardians: [{ name: '韩父', relation: '父亲', phone: '13800138000', age: 50 }] }, 'guardians[0].age'],
  ])('refuses %s in a PATCH with 400 naming the field, and changes nothing', async (_what, body, field) => {
    const before = await t.request('GET', `/api/students/${studentId}`, { as: counselor });
    const response = await t.request('PATCH', `/api/students/${studentId}`, { as: counselor, body });
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { path: string }) => d.path)).toContain(field);
    const after = await t.request('GET', `/api/students/${studentId}`, { as: counselor });
    expect(after.body).toEqual(before.body);
  });

  it('filters by counselor username and college code, and names an unknown one', async () => {
    const byUsername = await t.request('GET', `/api/students?counselor=${counselor.username}`, { as: counselor });
    expect(byUsername.status).toBe(200);
    expect(byUsername.body.total).toBe(0); // the archive above has no counselor
    const unknown = await t.request('GET', '/api/students?counselor=nobody', { as: counselor });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].path).toBe('counselor');
    expect((await t.request('GET', '/api/students?college=A', { as: counselor })).body.total).toBe(1);
  });

  it('serves an OpenAPI document made from the same schemas', async () => {
    const response = await fetch(`${t.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { parameters: Array<{ name: string }>; requestBody?: unknown; security: unknown[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/students']!.get!.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['q', 'careTier', 'limit', 'skip']));
    expect(doc.paths['/api/students/{id}']!.patch!.requestBody).toMatchObject({ content: { 'application/json': { schema: { additionalProperties: false } } } });
    // Sign-in and the parent's letter (the link is the key) need no account; everything else names its schemes.
    const anonymous = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).filter(([, op]) => op.security.length === 0).map(([method]) => `${method} ${path}`)).sort();
    expect(anonymous).toEqual([
      'get /api/parent-letters/{token}', 'get /api/parent-letters/{token}/pictures/{fileId}', 'post /api/auth/login',
      'post /api/parent-letters/{token}/feedback', 'post /api/parent-letters/{token}/tickets/{ticketId}/reopen',
    ]);
  });
});
