import type { Types } from 'mongoose';
import type { INodeExecutionData } from 'n8n-workflow';
import { keyOf } from '../support/api-keys';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { chain, runWorkflow } from './engine-harness';
import { seedArchives } from '../support/seed-archives';

/**
 * The Home Visit (家访) node in n8n's engine against the real service: a campaign created and opened by
 * student affairs, a college plan filed over the API and then submitted, returned (a reason is required),
 * resubmitted and approved step by step through the node — college leader's key, then student affairs' —
 * and the coverage overview and the colleges without a plan with their exact numbers.
 */

type N8nCredentials = Record<string, { baseUrl: string; apiKey: string }>;

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let C: Types.ObjectId;
let officer: Credentials;
let leaderA: Credentials;
let counselorA: Credentials;
let counselorB: Credentials;
let asOfficer: N8nCredentials;
let asLeaderA: N8nCredentials;
let campaignId: string;

const YEAR = new Date().getFullYear();
const IMPLEMENTATION = { organization: '学院党委统一部署，辅导员分片负责', schedule: '1月15日至2月20日分批开展', safety: '出行前报备行程，结伴出行，保持通讯畅通' };
const VALIDATION = '部分字段填写有误 / Some fields are invalid';

/** Archives straight into the database (as test/service/visit-plans.test.ts does): `count` students of `college`. */
const seedStudents = (college: Types.ObjectId, prefix: string, count: number) => seedArchives(college, prefix, count);


const plan = (operation: string, parameters: Record<string, unknown> = {}) => ({ resource: 'plan', operation, campaignId, college: 'A', ...parameters });
const node = (name: string, parameters: Record<string, unknown>, continueOnFail = false) => ({ name, type: 'homeVisit', parameters, continueOnFail });
const json = (items: INodeExecutionData[]) => items.map((i) => i.json);

async function file(college: string, students: string[], as: Credentials) {
  const entries = students.map((student) => ({ student, mode: 'onsite', kind: 'general', visitors: [{ user: as.username }] }));
  const filed = await t.request('PUT', `/api/visit-campaigns/${campaignId}/plans/${college}`, { as, body: { entries, implementation: IMPLEMENTATION } });
  expect(filed.status).toBe(201);
}

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A');
  B = await t.college('B');
  C = await t.college('C');
  officer = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', A);
  counselorA = await t.staff('counselor', A);
  counselorB = await t.staff('counselor', B);
  // ⌈1% × 150⌉ = 2, ⌈1% × 250⌉ = 3, ⌈1% × 99⌉ = 1.
  await seedStudents(A, 'A', 150);
  await seedStudents(B, 'B', 250);
  await seedStudents(C, 'C', 99);
  const key = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'n8n', scopes: ['visits:read', 'visits:manage', 'visitPlans:approve'] } });
  expect(key.status).toBe(201);
  asOfficer = { homeSchoolBridgeApi: { baseUrl: t.url, apiKey: key.body.apiKey } };
  asLeaderA = { homeSchoolBridgeApi: { baseUrl: t.url, apiKey: await keyOf(leaderA, A, ['visits:read', 'visitPlans:write', 'visitPlans:approve']) } };
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('Home Visit (家访) node on the n8n engine', () => {
  it('creates a campaign (deadline in Beijing time), opens it, gets and lists it', async () => {
    const result = await runWorkflow(
      chain(
        node('Create', {
          resource: 'campaign', operation: 'create', title: `${YEAR + 1}年寒假家访`, break: 'winter',
          // What n8n's date picker writes: wall time without an offset.
          visitStartsOn: `${YEAR + 1}-01-15T00:00:00`, visitEndsOn: `${YEAR + 1}-02-20T00:00:00`, planDueAt: `${YEAR + 1}-01-10T12:00:00`,
          additionalFields: { colleges: 'A, B,C', theme: '家校对接·共促成长', coveragePercent: 1 },
        }),
        node('Open', { resource: 'campaign', operation: 'open', campaignId: '={{ $json.id }}' }),
        node('Get', { resource: 'campaign', operation: 'get', campaignId: '={{ $json.id }}' }),
        node('List', { resource: 'campaign', operation: 'getMany', state: 'open', returnAll: true }),
      ),
      { credentials: asOfficer },
    );
    expect(result.status).toBe('success');
    const created = result.output('Create')[0]!.json;
    campaignId = created.id as string;
    expect(created).toMatchObject({
      title: `${YEAR + 1}年寒假家访`, theme: '家校对接·共促成长', break: 'winter', visitStartsOn: `${YEAR + 1}-01-15`, visitEndsOn: `${YEAR + 1}-02-20`,
      planDueAt: `${YEAR + 1}-01-10T04:00:00.000Z`, planDueText: `${YEAR + 1}年1月10日 12:00`, academicYear: `${YEAR}-${YEAR + 1}`,
      coveragePercent: 1, approvalSteps: ['collegeLeader', 'studentAffairs'], state: 'draft', revision: 1,
    });
    expect(created.colleges).toEqual([String(A), String(B), String(C)]);
    expect(result.output('Open')[0]!.json).toMatchObject({ id: campaignId, state: 'open', stateZh: '进行中', revision: 2 });
    expect(result.output('Get')[0]!.json).toMatchObject({ id: campaignId, state: 'open', revision: 2 });
    expect(json(result.output('List')).map((c) => [c.id, c.state])).toEqual([[campaignId, 'open']]);
  });

  it('submits, refuses a return without a reason with the service message, returns, resubmits and approves step by step', async () => {
    await file('A', ['A00000', 'A00001'], counselorA);
    await file('B', ['B00000', 'B00001', 'B00002'], counselorB);
    expect((await t.request('POST', `/api/visit-campaigns/${campaignId}/plans/B/submit`, { as: counselorB })).status).toBe(200);

    const leader = await runWorkflow(
      chain(
        node('Submit', plan('submit')),
        node('No Reason', plan('return', { reason: '  ' }), true),
        node('Return', plan('return', { reason: '安全预案过于简略，请补充出行报备要求' })),
        node('Resubmit', plan('submit')),
        node('Approve', plan('approve')),
      ),
      { credentials: asLeaderA },
    );
    expect(leader.status).toBe('success');
    expect(leader.output('Submit')[0]!.json).toMatchObject({
      state: 'submitted', revision: 2, awaiting: { step: 0, role: 'collegeLeader', roleZh: '学院领导' },
      coverage: { enrolled: 150, required: 2, counted: 2, met: true },
    });
    // Continue On Fail: an error item with the service's bilingual message and its field, paired with its input.
    expect(leader.output('No Reason')).toEqual([
      { json: { error: VALIDATION, description: 'reason: 退回家访计划须填写原因 (a returned plan needs a reason)' }, pairedItem: { item: 0 } },
    ]);
    expect(leader.output('Return')[0]!.json).toMatchObject({ state: 'returned', revision: 3, awaiting: null, lastReturn: { reason: '安全预案过于简略，请补充出行报备要求', role: 'collegeLeader', byName: leaderA.username } });
    expect(leader.output('Resubmit')[0]!.json).toMatchObject({ state: 'submitted', revision: 4, awaiting: { step: 0, role: 'collegeLeader' } });
    const afterLeader = leader.output('Approve')[0]!;
    expect(afterLeader.json).toMatchObject({ state: 'submitted', revision: 5, awaiting: { step: 1, role: 'studentAffairs', roleZh: '学工部' }, approved: null });
    expect((afterLeader.json.approvals as Array<Record<string, unknown>>).map((a) => [a.step, a.role, a.byName])).toEqual([[0, 'collegeLeader', leaderA.username]]);
    expect(afterLeader.pairedItem).toEqual({ item: 0 });

    // The next step is student affairs': the leader's key is refused, the workflow fails with the service's message.
    const again = await runWorkflow(chain(node('Approve', plan('approve'))), { credentials: asLeaderA });
    expect(again.status).toBe('error');
    expect(again.error()?.message).toBe('此步骤应由学工部审批 / This step is approved by student affairs');

    // Without Continue On Fail a return without a reason stops the workflow, with the service's message and field.
    // (A literally empty Reason never runs: n8n refuses the workflow for the required parameter. An expression
    // that comes out empty — an approver's form left blank — reaches the service, which refuses it.)
    const blank = await runWorkflow(chain(node('Return', plan('return', { reason: '={{ $json.reason }}' }))), { credentials: asOfficer, input: [{ json: { decision: 'return' } }] });
    expect(blank.status).toBe('error');
    expect(blank.error()?.message).toBe(VALIDATION);
    expect((blank.error() as Error & { description?: string }).description).toBe('reason: 退回家访计划须填写原因 (a returned plan needs a reason)');

    const office = await runWorkflow(
      chain(node('Approve', plan('approve')), node('Get', plan('get')), node('Plans', { resource: 'plan', operation: 'getMany', campaignId, state: '', returnAll: true })),
      { credentials: asOfficer },
    );
    expect(office.status).toBe('success');
    const approved = office.output('Approve')[0]!.json;
    expect(approved).toMatchObject({ state: 'approved', stateZh: '已批准', revision: 6, awaiting: null, amending: false, approved: { revision: 6 } });
    expect((approved.approvals as Array<Record<string, unknown>>).map((a) => [a.step, a.role, a.byName])).toEqual([[0, 'collegeLeader', leaderA.username], [1, 'studentAffairs', officer.username]]);
    expect(office.output('Get')[0]!.json).toMatchObject({ state: 'approved', revision: 6, college: { code: 'A' } });
    expect(json(office.output('Plans')).map((p) => [p.collegeCode, p.state, p.entries, p.planned, p.awaiting])).toEqual([
      ['A', 'approved', 2, 2, null],
      ['B', 'submitted', 3, 3, 'collegeLeader'],
    ]);
  });

  it('gives the coverage overview and the colleges without a submitted or approved plan, exactly, within the key’s scope', async () => {
    const campaign = (operation: string, parameters: Record<string, unknown> = {}) => ({ resource: 'campaign', operation, campaignId, ...parameters });
    const run = async (parameters: Record<string, unknown>, credentials = asOfficer) => {
      const result = await runWorkflow(chain(node('Node', parameters)), { credentials });
      expect(result.status).toBe('success');
      return json(result.output('Node'));
    };
    const row = (r: Record<string, unknown>) => [r.code, r.students, r.required, r.planned, r.approvedPlanned, r.leaderVisits, r.state, r.awaiting];

    const [overview] = await run(campaign('getOverview', { splitColleges: false }));
    expect((overview!.colleges as Array<Record<string, unknown>>).map(row)).toEqual([
      ['A', 150, 2, 2, 2, 0, 'approved', null],
      ['B', 250, 3, 3, 0, 0, 'submitted', 'collegeLeader'],
      ['C', 99, 1, 0, 0, 0, 'none', null],
    ]);
    expect(overview!.withoutSubmittedPlan).toEqual([String(C)]);
    expect(overview!.withoutApprovedPlan).toEqual([String(B), String(C)]);

    const split = await run(campaign('getOverview', { splitColleges: true }));
    expect(split.map((r) => [r.campaignId, r.campaignTitle, r.code, r.required, r.planned])).toEqual([
      [campaignId, `${YEAR + 1}年寒假家访`, 'A', 2, 2],
      [campaignId, `${YEAR + 1}年寒假家访`, 'B', 3, 3],
      [campaignId, `${YEAR + 1}年寒假家访`, 'C', 1, 0],
    ]);

    const unsubmitted = await run(campaign('getCollegesWithoutPlan', { without: 'submitted' }));
    expect(unsubmitted.map((r) => [r.campaignId, r.code, r.college, r.state, r.stateZh, r.students, r.required, r.planned, r.overdue])).toEqual([
      [campaignId, 'C', String(C), 'none', '未填报', 99, 1, 0, false],
    ]);
    const unapproved = await run(campaign('getCollegesWithoutPlan', { without: 'approved' }));
    expect(unapproved.map((r) => [r.code, r.state])).toEqual([['B', 'submitted'], ['C', 'none']]);

    // A college leader's key sees its own college only: A, approved, so nobody is missing a plan.
    const [own] = await run(campaign('getOverview', { splitColleges: false }), asLeaderA);
    expect((own!.colleges as Array<Record<string, unknown>>).map(row)).toEqual([['A', 150, 2, 2, 2, 0, 'approved', null]]);
    expect(await run(campaign('getCollegesWithoutPlan', { without: 'approved' }), asLeaderA)).toEqual([]);
  });

  it('pairs each output with its input item and keeps going past failed items under Continue On Fail', async () => {
    const result = await runWorkflow(chain(node('Get', plan('get', { college: '={{ $json.college }}' }), true)), {
      credentials: asOfficer,
      input: [{ json: { college: 'A' } }, { json: { college: 'Z' } }, { json: { college: 'C' } }, { json: { college: 'B' } }],
    });
    expect(result.status).toBe('success');
    expect(result.output('Get').map((i) => [i.pairedItem, (i.json.college as { code?: string } | undefined)?.code ?? i.json.error])).toEqual([
      [{ item: 0 }, 'A'],
      [{ item: 1 }, '未找到参与本次家访活动的学院 / College of this campaign not found'],
      [{ item: 2 }, '未找到家访计划 / Visit plan not found'],
      [{ item: 3 }, 'B'],
    ]);
  });

  it('closes the campaign; closing it again fails with the service message', async () => {
    const closed = await runWorkflow(chain(node('Close', { resource: 'campaign', operation: 'close', campaignId })), { credentials: asOfficer });
    expect(closed.status).toBe('success');
    expect(closed.output('Close')[0]!.json).toMatchObject({ id: campaignId, state: 'closed', stateZh: '已结束', revision: 3 });

    const again = await runWorkflow(chain(node('Close', { resource: 'campaign', operation: 'close', campaignId })), { credentials: asOfficer });
    expect(again.status).toBe('error');
    expect(again.error()?.message).toBe('只能结束进行中的家访活动（当前：已结束） / Only an open campaign can be closed (it is closed)');
  });
});
