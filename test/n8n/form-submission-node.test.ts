import type { NodeApiError } from 'n8n-workflow';
import { HomeSchoolBridgeApi } from '../../credentials/HomeSchoolBridgeApi.credentials';
import { chain, runWorkflow } from './engine-harness';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let officer: Credentials;
let counselor: Credentials;
let credentials: Record<string, { baseUrl: string; apiKey: string }>;

const feedback = { studentName: '李娜', parentName: '李军', satisfaction: 'satisfied', opinions: '希望加强安全教育', wantsReply: 'yes' };

beforeAll(async () => {
  t = await startTestService();
  officer = await t.staff('studentAffairs');
  counselor = await t.staff('counselor', await t.college('A'));
  const key = await t.request('POST', '/api/api-keys', {
    as: officer,
    body: { name: 'n8n engine test', scopes: ['forms:read', 'submissions:create', 'submissions:read', 'submissions:update'] },
  });
  credentials = { homeSchoolBridgeApi: { baseUrl: t.url, apiKey: key.body.apiKey } };
});
afterAll(async () => {
  await t.stop();
});

describe('Form Submission node on the n8n engine', () => {
  it('form › getMany lists the forms (limit honoured)', async () => {
    const result = await runWorkflow(chain({ name: 'Forms', parameters: { resource: 'form', operation: 'getMany', returnAll: false, limit: 2 } }), { credentials });
    expect(result.status).toBe('success');
    expect(result.output('Forms')).toHaveLength(2);
    const all = await runWorkflow(chain({ name: 'Forms', parameters: { resource: 'form', operation: 'getMany', returnAll: true } }), { credentials });
    expect(all.output('Forms').map((i) => i.json.path)).toContain('visitReport');
  });

  it('submission › create, then get and update through a chain of nodes, with paired items', async () => {
    const result = await runWorkflow(
      chain(
        { name: 'Create', parameters: { resource: 'submission', operation: 'create', formPath: 'termLetterFeedback', data: '={{ JSON.stringify($json) }}' } },
        { name: 'Update', parameters: { resource: 'submission', operation: 'update', formPath: 'termLetterFeedback', submissionId: '={{ $json._id }}', merge: true, data: '{"opinions":"已回复：学校将加强安全教育"}' } },
        { name: 'Get', parameters: { resource: 'submission', operation: 'get', formPath: 'termLetterFeedback', submissionId: '={{ $json._id }}' } },
      ),
      { credentials, input: [{ json: feedback }, { json: { ...feedback, studentName: '王芳' } }] },
    );
    expect(result.status).toBe('success');
    const got = result.output('Get');
    expect(got.map((i) => i.json.data)).toEqual([
      expect.objectContaining({ studentName: '李娜', opinions: '已回复：学校将加强安全教育', parentName: '李军' }),
      expect.objectContaining({ studentName: '王芳', opinions: '已回复：学校将加强安全教育' }),
    ]);
    expect(got.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    const stored = await t.request('GET', `/form/termLetterFeedback/submission/${String(got[0]!.json._id)}`, { as: officer });
    expect(stored.body.data.opinions).toBe('已回复：学校将加强安全教育');
  });

  it('submission › getMany pages through every submission when Return All is on', async () => {
    const before = (await t.request('GET', '/form/termLetterFeedback/submission?limit=1', { as: officer })).headers.get('content-range')!;
    for (let i = 0; i < 3; i += 1) await t.request('POST', '/form/termLetterFeedback/submission', { as: counselor, body: { data: { ...feedback, studentName: `学生${i}` } } });
    const total = Number(before.split('/')[1]) + 3;
    const result = await runWorkflow(chain({ name: 'List', parameters: { resource: 'submission', operation: 'getMany', formPath: 'termLetterFeedback', returnAll: true } }), { credentials });
    expect(result.output('List')).toHaveLength(total);
  });

  it('retrying the same execution item does not create a second record (idempotency key)', async () => {
    const workflow = chain({ name: 'Create', parameters: { resource: 'submission', operation: 'create', formPath: 'termLetterFeedback', data: JSON.stringify({ ...feedback, studentName: '赵敏' }) } });
    const first = await runWorkflow(workflow, { credentials, executionId: 'exec-retry-1' });
    const again = await runWorkflow(workflow, { credentials, executionId: 'exec-retry-1' });
    expect(again.output('Create')[0]!.json._id).toBe(first.output('Create')[0]!.json._id);
    const other = await runWorkflow(workflow, { credentials, executionId: 'exec-retry-2' });
    expect(other.output('Create')[0]!.json._id).not.toBe(first.output('Create')[0]!.json._id);
  });

  it('a service validation error surfaces as NodeApiError with the Chinese and English message and the field', async () => {
    const result = await runWorkflow(
      chain({ name: 'Create', parameters: { resource: 'submission', operation: 'create', formPath: 'termLetterFeedback', data: '{"studentName":""}' } }),
      { credentials },
    );
    expect(result.status).toBe('error');
    const error = result.error() as NodeApiError;
    expect(error.name).toBe('NodeApiError');
    expect(error.message).toBe('部分字段填写有误 / Some fields are invalid');
    expect(error.description).toMatch(/studentName: 学生姓名为必填项 \(学生姓名 is required\)/);
    expect(error.httpCode).toBe('400');
  });

  it('continueOnFail turns a failing item into an error item and goes on with the next', async () => {
    const result = await runWorkflow(
      chain({ name: 'Create', continueOnFail: true, parameters: { resource: 'submission', operation: 'create', formPath: 'termLetterFeedback', data: '={{ JSON.stringify($json) }}' } }),
      { credentials, input: [{ json: { studentName: '' } }, { json: feedback }] },
    );
    expect(result.status).toBe('success');
    const [bad, good] = result.output('Create');
    expect(bad!.json.error).toBe('部分字段填写有误 / Some fields are invalid');
    expect(bad!.pairedItem).toEqual({ item: 0 });
    expect(good!.json._id).toMatch(/^[0-9a-f]{24}$/);
  });

  it('bad JSON in Data is a NodeOperationError naming the item, before any request', async () => {
    const result = await runWorkflow(
      chain({ name: 'Create', parameters: { resource: 'submission', operation: 'create', formPath: 'termLetterFeedback', data: '{not json' } }),
      { credentials },
    );
    expect(result.status).toBe('error');
    expect(result.error()?.message).toMatch(/Data is not valid JSON \(表单数据不是有效的 JSON\)/);
    expect(result.error()?.name).toBe('NodeOperationError');
  });

  it('a wrong API key fails with the service’s 401 message', async () => {
    const result = await runWorkflow(chain({ name: 'Forms', parameters: { resource: 'form', operation: 'getMany', returnAll: true } }), {
      credentials: { homeSchoolBridgeApi: { baseUrl: t.url, apiKey: 'hsb_000000000000000000_wrongwrongwrongwrongwrong' } },
    });
    expect(result.status).toBe('error');
    expect(result.error()?.message).toBe('请先登录或提供有效的 API 密钥 / Sign in or send a valid API key');
  });

  it('a key without the scope fails with the service’s 403 message naming the permission', async () => {
    const readOnly = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'read only', scopes: ['forms:read'] } });
    const result = await runWorkflow(
      chain({ name: 'Create', parameters: { resource: 'submission', operation: 'create', formPath: 'termLetterFeedback', data: '={{ JSON.stringify($json) }}' } }),
      { credentials: { homeSchoolBridgeApi: { baseUrl: t.url, apiKey: readOnly.body.apiKey } }, input: [{ json: feedback }] },
    );
    expect(result.status).toBe('error');
    expect(result.error()?.message).toBe('您的角色无权执行此操作（submissions:create） / Your role may not submissions:create');
    expect((result.error() as NodeApiError | undefined)?.httpCode).toBe('403');
  });

  it('the credential test names the service’s own 401 message (n8n shows a failed test’s rule message, not the body)', async () => {
    const answer = await fetch(`${t.url}/api/auth/me`, { headers: { 'X-API-Key': 'hsb_000000000000000000_wrongwrongwrongwrongwrong' } });
    const problem = (await answer.json()) as { message: string };
    const rule = new HomeSchoolBridgeApi().test.rules?.find((r) => r.type === 'responseCode' && r.properties.value === answer.status);
    expect(answer.status).toBe(401);
    expect(rule?.properties.message.startsWith(problem.message)).toBe(true);
  });
});
