import fc from 'fast-check';
import mongoose from 'mongoose';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * A seeded, bounded fuzz run over every route the service declares (its OpenAPI document, the Form.io
 * API included): malformed path parameters, query strings (operators, arrays, unknown names, prototype
 * keys) and bodies (any JSON, wrong types, unknown fields). Not one answer may be a 5xx, and nothing may
 * be stored. The seed makes a failure reproducible; the counts keep the run to seconds.
 */
const SEED = 20261123;
const RUNS_PER_ROUTE = 60;
const CONCURRENT_ROUTES = 4;

let t: TestService;
let admin: Credentials;
let apiKey: string;

interface Route {
  method: string;
  path: string;
}


/** Routes left out: signing in and out change sessions by design, and are fuzzed by their own tests. */
const LEFT_OUT = new Set(['post /api/auth/login', 'post /api/auth/logout']);

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('$gt', '$ne', '{"$gt":""}', '__proto__', 'constructor', '../../etc/passwd', '%00', '0'.repeat(24), 'ffffffffffffffffffffffff', '2024A0001', 'visitReport', '-1', '1e9', 'true', 'null', '😀', '<script>'),
);
const queryKey = fc.oneof(hostileText, fc.constantFrom('limit', 'skip', 'q', 'name[$gt]', 'counselor[$ne]', '__proto__[x]', 'status', 'academicYear'));
const query = fc.dictionary(queryKey, fc.oneof(hostileText, fc.array(hostileText, { maxLength: 3 })), { maxKeys: 4 });
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(hostileText, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
  fc.record({ data: fc.dictionary(hostileText, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }) }),
);

function queryString(params: Record<string, string | string[]>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function collectionCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name } of await mongoose.connection.db!.listCollections().toArray()) {
    // Audit entries record what was refused (a failed sign-in, say): records of the attempt, not data it stored.
    if (name === 'auditentries') continue;
    counts[name] = await mongoose.connection.collection(name).countDocuments();
  }
  return counts;
}

beforeAll(async () => {
  t = await startTestService({ HSB_LOGIN_RATE_LIMIT: '10000' });
  admin = await t.staff('admin');
  const created = await t.request('POST', '/api/api-keys', { as: admin, body: { name: 'fuzz', scopes: ['forms:read', 'submissions:read', 'students:read', 'audit:read', 'webhooks:manage', 'apiKeys:manage', 'visits:read', 'visits:manage', 'visitPlans:write', 'visitPlans:approve', 'mentoring:log', 'mentoring:propose', 'mentoring:approve', 'support:read', 'aidTeam:manage', 'funders:manage'] } });
  expect(created.status).toBe(201);
  apiKey = created.body.apiKey;
  // The dashboard's figures exist, as on any running service: reading them stores nothing new.
  expect((await t.request('POST', '/api/dashboard/refresh', { as: admin })).status).toBe(200);
});
afterAll(async () => {
  await t.stop();
});

describe('fuzzing every route with malformed requests', () => {
  it('never answers 5xx and stores nothing', async () => {
    const document = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const declared: Route[] = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method, path })));
    const routes = declared.filter((r) => !LEFT_OUT.has(`${r.method} ${r.path}`));
    expect(routes.map((r) => r.path)).toEqual(expect.arrayContaining(['/form/{id}/submission', '/api/students/{id}', '/api/cases']));
    expect(routes.length).toBeGreaterThan(30);

    const before = await collectionCounts();
    const failures: string[] = [];
    let requests = 0;
    const fuzz = async (route: Route, index: number): Promise<void> => {
      await fc.assert(
        fc.asyncProperty(fc.array(hostileText, { minLength: 2, maxLength: 2 }), query, body, fc.boolean(), async ([first, second], params, payload, asAdmin) => {
          const path = route.path.replace(/\{[^}]+\}/, encodeURIComponent(first!)).replace(/\{[^}]+\}/, encodeURIComponent(second!));
          const headers: Record<string, string> = { 'Content-Type': 'application/json' };
          if (asAdmin) headers['X-API-Key'] = apiKey;
          const response = await fetch(`${t.url}${path}${queryString(params)}`, {
            method: route.method.toUpperCase(),
            headers,
            body: route.method === 'get' || route.method === 'delete' ? undefined : JSON.stringify(payload),
          });
          requests += 1;
          await response.arrayBuffer();
          if (response.status >= 500) failures.push(`${route.method.toUpperCase()} ${path}${queryString(params)} ${JSON.stringify(payload)} → ${response.status}`);
          return response.status < 500;
        }),
        { seed: SEED + index, numRuns: RUNS_PER_ROUTE },
      );
    };
    // A few routes at once: each route's run keeps its own seed, so a failure still reproduces alone.
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < routes.length) {
        const index = next++;
        await fuzz(routes[index]!, index);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT_ROUTES }, lane));
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(routes.length * RUNS_PER_ROUTE);
    expect(await collectionCounts()).toEqual(before);
  }, 300_000);
});
