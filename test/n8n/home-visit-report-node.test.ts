import type { INodeExecutionData } from 'n8n-workflow';
import { UserModel } from '../../server/identity/user.model';
import { keyOf } from '../support/api-keys';
import { seedArchives, seededNumber as no } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { day, planEntry, visitFixtures } from '../support/visit-fixtures';
import { chain, runWorkflow } from './engine-harness';

/**
 * The Home Visit (家访) node's reports on n8n's engine against the real service: the visits missing their
 * report a few days after their day (one item per visitor to remind, or per visit), starting a report
 * from an approved entry (twice: one report), getting and listing it.
 */

type N8nCredentials = Record<string, { baseUrl: string; apiKey: string }>;

let t: TestService;
let counselorA: Credentials;
let teacherA: Credentials;
let asCounselor: N8nCredentials;
let campaignId: string;
let entries: Map<string, { id: string }>;

const node = (name: string, parameters: Record<string, unknown>, continueOnFail = false) => ({ name, type: 'homeVisit', parameters, continueOnFail });
const report = (operation: string, parameters: Record<string, unknown> = {}) => ({ resource: 'report', operation, ...parameters });
const json = (items: INodeExecutionData[]) => items.map((i) => i.json);

beforeAll(async () => {
  t = await startTestService();
  const A = await t.college('A');
  const officer = await t.staff('studentAffairs');
  const leaderA = await t.staff('collegeLeader', A);
  counselorA = await t.staff('counselor', A);
  teacherA = await t.staff('teacher', A);
  await UserModel.updateOne({ _id: teacherA.userId }, { $set: { email: 'teacher-a@school.test' } });
  await seedArchives(A, 'A', 120, () => ({ counselor: counselorA.userId }));
  const fixtures = visitFixtures(t, { officer, leader: leaderA, counselor: counselorA });
  campaignId = await fixtures.campaign(['A'], -20, 30);
  entries = await fixtures.approvedPlan(campaignId, 'A', [
    planEntry(no('A', 0), 'onsite', [counselorA, teacherA], { plannedOn: day(-9) }),
    planEntry(no('A', 1), 'phone', [teacherA], { plannedOn: day(-5) }),
    planEntry(no('A', 2), 'phone', [teacherA], { plannedOn: day(20) }),
  ]);
  asCounselor = { homeSchoolBridgeApi: { baseUrl: t.url, apiKey: await keyOf(counselorA, A, ['visits:read', 'contacts:write']) } };
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('Home Visit (家访) node: reports on the n8n engine (D6)', () => {
  it('gives the visits missing their report: one item per visitor with their e-mail, or one per visit', async () => {
    const result = await runWorkflow(chain(node('By Visitor', report('getMissing', { campaignId: '', college: '', graceDays: -1, output: 'visitor' }))), { credentials: asCounselor });
    expect(result.status).toBe('success');
    const byVisitor = json(result.output('By Visitor'));
    expect(byVisitor.map((v) => [(v.visitor as { username: string }).username, (v.visitor as { email: string | null }).email, (v.visits as Array<{ studentNo: string }>).map((x) => x.studentNo)])).toEqual(
      [
        [counselorA.username, null, [no('A', 0)]],
        [teacherA.username, 'teacher-a@school.test', [no('A', 0), no('A', 1)]],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(byVisitor[0]).toMatchObject({ graceDays: 3 });
    expect([day(0), day(1)]).toContain(byVisitor[0]!.asOf); // today in Asia/Shanghai, also for a run across midnight
    // Six grace days: the visit of five days ago is not missing yet.
    const byVisit = await runWorkflow(chain(node('By Visit', report('getMissing', { campaignId, college: 'A', graceDays: 6, output: 'visit' }))), { credentials: asCounselor });
    expect(json(byVisit.output('By Visit')).map((v) => [v.studentNo, v.reportState, v.dueOn, v.graceDays])).toEqual([[no('A', 0), 'none', day(-9), 6]]);
  });

  it('starts the report of an approved visit once, however often the node runs, then gets and lists it', async () => {
    const entryId = entries.get(no('A', 1))!.id;
    const result = await runWorkflow(
      chain(
        node('Start', report('create', { campaignId, college: 'A', entryId })),
        node('Start Again', report('create', { campaignId, college: 'A', entryId })),
        node('Get', report('get', { reportId: '={{ $json.id }}' })),
        node('List', report('getMany', { campaignId, college: 'A', state: 'draft', returnAll: true })),
        node('Not Approved', report('create', { campaignId, college: 'A', entryId: '0123456789abcdef01234567' }), true),
      ),
      { credentials: asCounselor },
    );
    expect(result.status).toBe('success');
    const started = result.output('Start')[0]!.json;
    expect(started).toMatchObject({ state: 'draft', revision: 1, student: { studentNo: no('A', 1) }, mode: 'phone', plannedOn: day(-5) });
    expect(result.output('Start Again')[0]!.json).toMatchObject({ id: started.id, revision: 1 });
    expect(result.output('Get')[0]!.json).toMatchObject({ id: started.id, evidenceRequired: { mode: 'phone', photos: 1 } });
    expect(json(result.output('List')).map((r) => r.id)).toEqual([started.id]);
    expect(result.output('Not Approved')[0]!.json.error).toMatch(/只能为已批准的家访计划中的条目填写报告/);
  });

  it('downloads the college’s materials package as a binary ZIP named by the service', async () => {
    const result = await runWorkflow(chain(node('Materials', { resource: 'campaign', operation: 'getMaterials', campaignId, college: 'A', binaryPropertyName: 'package' })), { credentials: asCounselor });
    expect(result.status).toBe('success');
    const [item] = result.output('Materials');
    expect(item!.json).toMatchObject({ campaignId, college: 'A', fileName: '家访材料-寒假家访-A 学院.zip' });
    expect(item!.binary!.package).toMatchObject({ fileName: '家访材料-寒假家访-A 学院.zip', mimeType: 'application/zip' });
    const bytes = Buffer.from(item!.binary!.package!.data, 'base64');
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.length).toBe(item!.json.bytes);
  });
});
