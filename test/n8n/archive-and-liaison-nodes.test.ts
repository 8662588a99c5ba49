import { chain, runWorkflow } from './engine-harness';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let officer: Credentials;
let counselor: Credentials;
let credentials: Record<string, { baseUrl: string; apiKey: string }>;

beforeAll(async () => {
  t = await startTestService();
  officer = await t.staff('studentAffairs');
  counselor = await t.staff('counselor', await t.college('A'));
  const key = await t.request('POST', '/api/api-keys', {
    as: officer,
    body: { name: 'n8n', scopes: ['students:read', 'students:write', 'contacts:write', 'cases:raise', 'cases:manage', 'cases:escalate', 'awards:record', 'sensitive:read'] },
  });
  credentials = { homeSchoolBridgeApi: { baseUrl: t.url, apiKey: key.body.apiKey } };
});
afterAll(async () => {
  await t.stop();
});

const archive = (no: string) => JSON.stringify({
  studentNo: no, name: '周杰', gender: '男', birthDate: '2006-02-02', college: 'A', major: '机械制造', grade: '2025', className: '机械1班',
  careTier: '特殊', guardians: [{ name: '周建国', relation: '父亲', phone: '13611112222' }],
});

describe('Student Archive and Parent Contact nodes on the n8n engine', () => {
  it('creates, updates, confirms, gets and searches archives; lists stale ones by counselor', async () => {
    const result = await runWorkflow(
      chain(
        { name: 'Create', type: 'studentArchive', parameters: { resource: 'student', operation: 'create', archive: archive('2025N0001') } },
        { name: 'Update', type: 'studentArchive', parameters: { resource: 'student', operation: 'update', student: '={{ $json.studentNo }}', archive: `{"counselor":"${counselor.username}","medicalHistory":"过敏性鼻炎"}` } },
        { name: 'Confirm', type: 'studentArchive', parameters: { resource: 'student', operation: 'confirm', student: '={{ $json.student.studentNo }}' } },
        { name: 'Get', type: 'studentArchive', parameters: { resource: 'student', operation: 'get', student: '2025N0001' } },
        { name: 'Search', type: 'studentArchive', parameters: { resource: 'student', operation: 'search', filters: { careTier: 'special' }, returnAll: true } },
        { name: 'Stale', type: 'studentArchive', parameters: { resource: 'staleArchive', operation: 'byCounselor', academicYear: '2099-2100' } },
      ),
      { credentials },
    );
    expect(result.status).toBe('success');
    expect(result.output('Update')[0]!.json.changes).toEqual([{ field: 'counselor', from: null, to: String(counselor.userId) }, { field: 'medicalHistory', sensitive: true }]);
    expect(result.output('Get')[0]!.json).toMatchObject({ studentNo: '2025N0001', medicalHistory: '过敏性鼻炎', stale: false });
    expect(result.output('Search').map((i) => i.json.studentNo)).toEqual(['2025N0001']);
    expect(result.output('Stale')).toEqual([expect.objectContaining({ json: expect.objectContaining({ counselor: String(counselor.userId), stale: 1, academicYear: '2099-2100', academicYearStartsOn: '2099-09-01', academicYearEndsOn: '2100-08-31' }) })]);
  });

  it('gets many students several at a time, in the order of the items, a missing one in its place', async () => {
    const numbers = Array.from({ length: 24 }, (_, i) => `2025P${String(i).padStart(4, '0')}`);
    for (const no of numbers) await t.request('POST', '/api/students', { as: officer, body: JSON.parse(archive(no)) });
    const asked = [...numbers.slice(0, 11), '2099X9999', ...numbers.slice(11)];
    const result = await runWorkflow(
      chain({ name: 'Get', type: 'studentArchive', parameters: { resource: 'student', operation: 'get', student: '={{ $json.studentNo }}' }, continueOnFail: true }),
      { credentials, input: asked.map((studentNo) => ({ json: { studentNo } })) },
    );
    expect(result.status).toBe('success');
    const output = result.output('Get');
    expect(output.map((item) => item.json.studentNo ?? 'missing')).toEqual(asked.map((no) => (no === '2099X9999' ? 'missing' : no)));
    expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual(asked.map((_, i) => i));
    expect(output[11]!.json.error).toMatch(/不存在|not found/i);
  });

  it('opens a case, logs a contact and closes the case with it; lists overdue contacts', async () => {
    await t.request('POST', '/api/students', { as: officer, body: JSON.parse(archive('2025N0002')) });
    const result = await runWorkflow(
      chain(
        { name: 'Open', type: 'parentContact', parameters: { resource: 'case', operation: 'open', student: '2025N0002', category: 'internetOrExtreme', description: '沉迷网络游戏，夜不归宿', department: '' } },
        { name: 'Log', type: 'parentContact', parameters: { resource: 'contact', operation: 'log', student: '2025N0002', guardianName: '周建国', channel: 'phone', topics: ['thinking'], summary: '沟通网络成瘾问题', parentFeedback: '家长将配合限制上网时间' } },
        { name: 'Close', type: 'parentContact', parameters: { resource: 'case', operation: 'close', caseId: "={{ $('Open').item.json.case.id }}", contact: '={{ $json.id }}', resolution: '已与家长约定共同监督' } },
        { name: 'Overdue', type: 'parentContact', parameters: { resource: 'contact', operation: 'getOverdue', counselor: '' } },
      ),
      { credentials },
    );
    expect(result.status).toBe('success');
    expect(result.output('Close')[0]!.json).toMatchObject({ status: 'closed', resolution: '已与家长约定共同监督' });
    const overdueNumbers = result.output('Overdue').flatMap((i) => (i.json.students as Array<{ studentNo: string }>).map((s) => s.studentNo));
    expect(overdueNumbers).toContain('2025N0001');
    expect(overdueNumbers).not.toContain('2025N0002');
  });

  it('records a provincial award and fetches its 喜报; a missing case fails with the service message', async () => {
    const result = await runWorkflow(
      chain(
        { name: 'Record', type: 'parentContact', parameters: { resource: 'award', operation: 'record', student: '2025N0001', kind: 'award', title: '省级优秀学生', level: 'provincial', category: 'honour', wideImpact: false, date: '2026-11-01' } },
        { name: 'Letter', type: 'parentContact', parameters: { resource: 'award', operation: 'getLetter', awardId: '={{ $json.id }}' } },
        { name: 'Delivered', type: 'parentContact', parameters: { resource: 'award', operation: 'recordDelivery', awardId: '={{ $json.awardId }}', channel: 'online', note: '邮件发送' } },
      ),
      { credentials },
    );
    expect(result.status).toBe('success');
    expect(result.output('Letter')[0]!.json.html).toContain('省级优秀学生');
    expect(result.output('Delivered')[0]!.json.deliveries).toEqual([expect.objectContaining({ channel: 'online' })]);

    const missing = await runWorkflow(
      chain({ name: 'Close', type: 'parentContact', parameters: { resource: 'case', operation: 'close', caseId: '000000000000000000000000', contact: 'x', resolution: 'x' } }),
      { credentials },
    );
    expect(missing.status).toBe('error');
    expect(missing.error()?.message).toBe('未找到重点沟通事项 / Case not found');

    const noLetter = await runWorkflow(
      chain({ name: 'Letter', type: 'parentContact', parameters: { resource: 'award', operation: 'getLetter', awardId: '000000000000000000000000' } }),
      { credentials },
    );
    expect(noLetter.status).toBe('error');
    expect(noLetter.error()?.message).toBe('未找到奖惩记录 / Award not found');
  });
});
