import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import mongoose, { type Types } from 'mongoose';
import type { IConnections, IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeType, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';
import { UserModel } from '../../server/identity/user.model';
import { startRecordingServer } from '../support/recording-server';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { ROOT, startTestService, type Credentials, type TestService } from '../support/test-service';
import { PACKAGE, runWorkflow } from './engine-harness';

/**
 * The shipped mentoring workflows (C1–C2) in n8n's engine with n8n's own nodes from the n8n install, against the
 * real service, started by the events the service delivers to a webhook. n8n's e-mail node does not load under
 * jest (an ES-module dependency), so a stand-in of the same type records each e-mail as the workflow renders it
 * and answers a send-and-wait with the approver's form; the end-to-end run sends real mail through real n8n.
 * Approval: the approver is asked with the group's members and needs, the answer written back, the leader told;
 * a rejection without a reason is refused by the service and the approver asked again. A silent group's leader
 * is reminded; a newly special student's counselor is prompted; last month's report goes to student affairs.
 */

type N8nCredentials = Record<string, { baseUrl: string; apiKey: string }>;
interface Mail {
  operation: string;
  fromEmail: string;
  toEmail: string;
  subject: string;
  body: string;
}

let t: TestService;
let A: Types.ObjectId;
let officer: Credentials;
let mentors: Credentials[];
let asOfficer: N8nCredentials;
let baseNodes: Record<string, INodeType | IVersionedNodeType>;
const students: string[] = [];
const sent: Mail[] = [];
/** The approver's form answers, one per send-and-wait, in order. */
const answers: IDataObject[] = [];

/** Stands in for n8n's E-mail node: records what the workflow would send; a send-and-wait answers the next form. */
class RecordingEmailSend implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Send Email',
    name: 'emailSend',
    group: ['output'],
    version: [2, 2.1],
    description: 'records e-mails',
    defaults: { name: 'Send Email' },
    inputs: ['main'],
    outputs: ['main'],
    properties: ['operation', 'fromEmail', 'toEmail', 'subject', 'text', 'message', 'emailFormat'].map((name) => ({ displayName: name, name, type: 'string' as const, default: '' })),
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return [
      this.getInputData().map((_, i) => {
        const p = (name: string) => String(this.getNodeParameter(name, i, ''));
        sent.push({ operation: p('operation') || 'send', fromEmail: p('fromEmail'), toEmail: p('toEmail'), subject: p('subject'), body: p('message') || p('text') });
        return { json: p('operation') === 'sendAndWait' ? { data: answers.shift() ?? {} } : { sent: true }, pairedItem: { item: i } };
      }),
    ];
  }
}

function n8nBaseNodes(): Record<string, INodeType | IVersionedNodeType> {
  const installed = execFileSync('bash', [path.join(ROOT, '.ci/install-n8n.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
  const dist = path.join(installed[installed.length - 1]!, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes');
  const load = (file: string, name: string) => new (createRequire(__filename)(path.join(dist, file)) as Record<string, new () => INodeType | IVersionedNodeType>)[name]!();
  return {
    'n8n-nodes-base.set': load('Set/Set.node.js', 'Set'),
    'n8n-nodes-base.if': load('If/If.node.js', 'If'),
    'n8n-nodes-base.stopAndError': load('StopAndError/StopAndError.node.js', 'StopAndError'),
    'n8n-nodes-base.emailSend': new RecordingEmailSend(),
  };
}

/** The shipped workflow as provisioning binds it (Settings filled in), started at its event trigger or its Settings node. */
function shippedWorkflow(file: string, settings: Record<string, string>) {
  const shipped = JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as { nodes: INode[]; connections: IConnections; settings: Record<string, unknown> };
  const event = shipped.nodes.find((n) => n.type === `${PACKAGE}.homeSchoolBridgeTrigger`);
  const leftOut = new Set(shipped.nodes.filter((n) => /Trigger$/.test(n.type) && n !== event).map((n) => n.name));
  const nodes = shipped.nodes.filter((n) => !leftOut.has(n.name)).map((n) => structuredClone(n));
  nodes.unshift(...nodes.splice(nodes.findIndex((n) => n.name === (event?.name ?? 'Settings (设置)')), 1));
  const settingsNode = nodes.find((n) => n.name === 'Settings (设置)')!;
  for (const a of (settingsNode.parameters as { assignments: { assignments: Array<{ name: string; value: string }> } }).assignments.assignments) if (settings[a.name] !== undefined) a.value = settings[a.name]!;
  for (const n of nodes) if (n.credentials?.homeSchoolBridgeApi) n.credentials.homeSchoolBridgeApi = { id: 'cred-1', name: 'Home–School Bridge' };
  const connections = Object.fromEntries(Object.entries(shipped.connections).filter(([from]) => !leftOut.has(from)));
  return { nodes, connections, settings: shipped.settings };
}

/** Subscribes a local receiver to `events`, runs `act`, and answers the first event delivered as the trigger hands it on. */
async function delivered(events: string[], act: () => Promise<unknown>): Promise<INodeExecutionData[]> {
  const receiver = await startRecordingServer();
  try {
    const subscribed = await t.request('POST', '/api/webhooks', { as: officer, body: { url: `${receiver.url}/n8n`, events, secret: 'mentoring-workflows-secret' } });
    expect(subscribed.status).toBe(201);
    await act();
    const [delivery] = await receiver.waitFor(1);
    await t.request('DELETE', `/api/webhooks/${subscribed.body.id}`, { as: officer });
    return [{ json: { ...JSON.parse(delivery!.body), deliveryId: delivery!.headers['x-hsb-delivery'] ?? null } }];
  } finally {
    await receiver.close();
  }
}

async function propose(student: string): Promise<string> {
  const body = {
    student,
    members: mentors.slice(0, 3).map((m, i) => ({ user: String(m.userId), employment: i ? 'partTime' : 'fullTime', role: i ? 'member' : 'leader' })),
    needs: [{ area: 'studyInterest', note: '专业课学习动力不足' }, { area: 'practicalDifficulties', note: '' }],
    plan: '每两周面谈一次',
  };
  const answer = await t.request('POST', '/api/mentoring-groups', { as: officer, body });
  expect(answer.status).toBe(201);
  return String(answer.body.id);
}

const SETTINGS = { fromEmail: 'bridge@demo.edu.cn', studentAffairsEmail: 'affairs@demo.edu.cn' };

beforeAll(async () => {
  baseNodes = n8nBaseNodes();
  t = await startTestService();
  A = await t.college('A');
  officer = await t.staff('studentAffairs');
  mentors = [];
  for (const role of ['counselor', 'academicMentor', 'growthMentor', 'collegeLeader'] as const) mentors.push(await t.staff(role, A));
  const names = ['李辅导员', '王导师', '赵老师', '陈院长'];
  for (const [i, m] of mentors.entries()) await UserModel.updateOne({ _id: m.userId }, { $set: { displayName: names[i], email: `mentor${i}@demo.edu.cn` } });
  await seedArchives(A, 'MW', 3, () => ({ careTier: 'special' }));
  const seeded = await mongoose.connection.collection('students').find({ studentNo: { $in: [0, 1, 2].map((i) => seededNumber('MW', i)) } }).sort({ studentNo: 1 }).toArray();
  students.push(...seeded.map((s) => String(s._id)));
  const key = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'n8n', scopes: ['students:read', 'mentoring:log', 'mentoring:propose', 'mentoring:approve', 'mentoring:relay', 'support:read'] } });
  expect(key.status).toBe(201);
  asOfficer = { homeSchoolBridgeApi: { baseUrl: t.url, apiKey: key.body.apiKey } };
}, 600_000);
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => {
  sent.length = 0;
  answers.length = 0;
});

describe('mentoring workflows on the n8n engine (C1–C2)', () => {
  let activeGroup: string;

  it('C1: stops before asking anyone while the sender is not set, naming the setting', async () => {
    const run = await runWorkflow(shippedWorkflow('mentoring-group-approval.json', {}), { credentials: asOfficer, nodeTypes: baseNodes, input: [{ json: { event: 'mentoring.proposed', data: {} } }] });
    expect(run.status).toBe('error');
    expect(run.error()?.message).toContain('fromEmail（发件人地址）');
    expect(sent).toHaveLength(0);
  });

  it('C1: a proposed group: the college leader is asked with its members and needs, approves, the group is active and its leader told', async () => {
    let groupId = '';
    const input = await delivered(['mentoring.proposed'], async () => (groupId = await propose(students[0]!)));
    expect(input[0]!.json).toMatchObject({ event: 'mentoring.proposed', data: { groupId, approvers: [{ userId: String(mentors[3]!.userId), email: 'mentor3@demo.edu.cn' }] } });
    answers.push({ 审批意见: '批准', 不予批准原因: '' });
    const run = await runWorkflow(shippedWorkflow('mentoring-group-approval.json', SETTINGS), { credentials: asOfficer, nodeTypes: baseNodes, input });
    expect(run.error()).toBeUndefined();
    const [ask, told] = sent;
    expect(ask).toMatchObject({ operation: 'sendAndWait', fromEmail: 'bridge@demo.edu.cn', toEmail: 'mentor3@demo.edu.cn', subject: '【家校心桥】结对帮扶小组待审批：学生MW0' });
    expect(ask!.body).toContain('陈院长：');
    expect(ask!.body).toContain('小组成员：李辅导员（组长，专职）、王导师（成员，兼职）、赵老师（成员，兼职）');
    expect(ask!.body).toContain('帮扶需求：学习兴趣：专业课学习动力不足；实际困难');
    expect(ask!.body).toContain('帮扶计划：每两周面谈一次');
    expect(told).toMatchObject({ toEmail: 'mentor0@demo.edu.cn', subject: '【家校心桥】结对帮扶小组已批准成立：学生MW0' });
    expect(told!.body).toContain(`/mentoring/${groupId}`);
    expect(sent).toHaveLength(2);
    expect((await t.request('GET', `/api/mentoring-groups/${groupId}`, { as: officer })).body).toMatchObject({ state: 'active', approvedBy: String(mentors[3]!.userId) });
    activeGroup = groupId;
  });

  it('C1: a rejection without a reason is refused by the service and the approver asked again; with one, the group is rejected and the leader told why', async () => {
    let groupId = '';
    const input = await delivered(['mentoring.proposed'], async () => (groupId = await propose(students[1]!)));
    answers.push({ 审批意见: '不予批准', 不予批准原因: '' }, { 审批意见: '不予批准', 不予批准原因: '成员均为同一教研室，请调整' });
    const run = await runWorkflow(shippedWorkflow('mentoring-group-approval.json', SETTINGS), { credentials: asOfficer, nodeTypes: baseNodes, input });
    expect(run.error()).toBeUndefined();
    expect(sent.map((m) => [m.operation, m.toEmail])).toEqual([['sendAndWait', 'mentor3@demo.edu.cn'], ['sendAndWait', 'mentor3@demo.edu.cn'], ['send', 'mentor0@demo.edu.cn']]);
    expect(sent[1]!.body).toContain('不予批准须填写原因');
    expect(sent[2]!.subject).toBe('【家校心桥】结对帮扶小组未获批准：学生MW1');
    expect(sent[2]!.body).toContain('原因：成员均为同一教研室，请调整');
    expect((await t.request('GET', `/api/mentoring-groups/${groupId}`, { as: officer })).body).toMatchObject({ state: 'rejected', rejection: { reason: '成员均为同一教研室，请调整', by: String(mentors[3]!.userId) } });
  });

  it('C2: a group silent for weeks: the sweep’s mentoring.inactive reminds its leader with the weeks and the link', async () => {
    await mongoose.connection.collection('mentoringgroups').updateOne({ _id: new mongoose.Types.ObjectId(activeGroup) }, { $set: { lastActivityAt: new Date(Date.now() - 36 * 864e5) } });
    const { sweepInactiveGroups } = await import('../../server/mentoring/mentoring-inactivity');
    const input = await delivered(['mentoring.inactive'], () => sweepInactiveGroups(t.config.mentoring.inactiveWeeks, new Date(), t.config.publicUrl ?? ''));
    expect(input[0]!.json).toMatchObject({ event: 'mentoring.inactive', data: { groupId: activeGroup, weeksSilent: 5, leader: { email: 'mentor0@demo.edu.cn' } } });
    const run = await runWorkflow(shippedWorkflow('mentoring-inactivity-reminders.json', SETTINGS), { credentials: asOfficer, nodeTypes: baseNodes, input });
    expect(run.error()).toBeUndefined();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ toEmail: 'mentor0@demo.edu.cn', subject: '【家校心桥】结对帮扶提醒：学生MW0 的帮扶已 5 周没有记录' });
    expect(sent[0]!.body).toContain('李辅导员老师：');
    expect(sent[0]!.body).toContain(`/mentoring/${activeGroup}`);
  });

  it('C1: a student newly marked special: their counselor is prompted to propose a group, with the link', async () => {
    await mongoose.connection.collection('students').updateOne({ _id: new mongoose.Types.ObjectId(students[2]) }, { $set: { careTier: 'general', counselor: mentors[0]!.userId } });
    const student = await t.request('GET', `/api/students/${students[2]}`, { as: officer });
    const input = await delivered(['student.markedSpecial'], () =>
      t.request('PATCH', `/api/students/${students[2]}`, { as: officer, headers: { 'If-Match': String(student.body.revision) }, body: { careTier: 'special' } }).then((r) => expect(r.status).toBe(200)),
    );
    expect(input[0]!.json).toMatchObject({ event: 'student.markedSpecial', data: { studentId: students[2], counselor: { email: 'mentor0@demo.edu.cn' } } });
    const run = await runWorkflow(shippedWorkflow('mentoring-special-prompt.json', SETTINGS), { credentials: asOfficer, nodeTypes: baseNodes, input });
    expect(run.error()).toBeUndefined();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ toEmail: 'mentor0@demo.edu.cn', subject: '【家校心桥】请为 学生MW2 组建结对帮扶小组' });
    expect(sent[0]!.body).toContain(`学号 ${seededNumber('MW', 2)}`);
  });

  it('C2: last month’s report goes to student affairs, college by college; stops naming the settings while they are empty', async () => {
    const unset = await runWorkflow(shippedWorkflow('mentoring-monthly-report.json', { fromEmail: 'bridge@demo.edu.cn' }), { credentials: asOfficer, nodeTypes: baseNodes });
    expect(unset.status).toBe('error');
    expect(unset.error()?.message).toContain('studentAffairsEmail（学工部邮箱）');
    // The approved group was proposed and formed in the middle of last month (Beijing time).
    const now = new Date(Date.now() + 8 * 3600_000);
    const midLastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 2));
    await mongoose.connection.collection('mentoringgroups').updateOne({ _id: new mongoose.Types.ObjectId(activeGroup) }, { $set: { proposedAt: midLastMonth, approvedAt: midLastMonth } });
    const run = await runWorkflow(shippedWorkflow('mentoring-monthly-report.json', SETTINGS), { credentials: asOfficer, nodeTypes: baseNodes });
    expect(run.error()).toBeUndefined();
    const [report] = run.output('The report (统计报告)').map((i) => i.json);
    const month = midLastMonth.toISOString().slice(0, 8);
    expect(report).toMatchObject({ from: `${month}01` });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ toEmail: 'affairs@demo.edu.cn', subject: `【家校心桥】结对帮扶月报：${String(report!.from)} 至 ${String(report!.to)}` });
    expect(sent[0]!.body).toMatch(/全校合计：新申请 \d+ 组，新成立 1 组/);
    expect(sent[0]!.body).toMatch(/· A 学院：新申请 \d+ 组，新成立 1 组/);
  });
});
