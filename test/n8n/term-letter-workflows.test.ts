import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import mongoose, { type Types } from 'mongoose';
import { UserModel } from '../../server/identity/user.model';
import type { IConnections, INode, INodeType, IVersionedNodeType } from 'n8n-workflow';
import { launchedLetter, tokenOf } from '../support/letter-campaign';
import { startRecordingServer, type RecordedRequest } from '../support/recording-server';
import { seedArchives } from '../support/seed-archives';
import { ROOT, startTestService, type Credentials, type TestService } from '../support/test-service';
import { PACKAGE, runWorkflow } from './engine-harness';

/**
 * The shipped term-letter workflows in n8n's engine, with n8n's own nodes (HTTP Request, Loop Over Items,
 * Edit Fields, If) from the n8n install the end-to-end run uses, against the real service, a real local SMS
 * gateway and group robot that record what they are sent. Sending: every family's letter ends sent (one
 * gateway failure recorded with its reason) and the gateway accepted exactly one SMS per family carrying
 * that family's own link — a family whose first try failed is tried again. Reminders: each family that has
 * not read the letter once. Overdue feedback: the group is told. A parent's feedback: the event the service
 * delivers starts the routing workflow, which tells the owner and the group. A closed letter: its report.
 */

type N8nCredentials = Record<string, { baseUrl: string; apiKey: string }>;
interface Sms {
  to: string[];
  text: string;
  reference: string;
}

let t: TestService;
let A: Types.ObjectId;
let officer: Credentials;
let asOfficer: N8nCredentials;
let baseNodes: Record<string, INodeType | IVersionedNodeType>;

const SMS_FAMILIES = 130;
const phoneOf = (i: number) => `1340000${String(i).padStart(4, '0')}`;
/** Answers 503 to its first SMS only (the retry must carry it). */
const FLAKY = phoneOf(3);
/** Always refused: recorded as failed with the gateway's answer. */
const DEAD = phoneOf(7);

/** n8n's own node classes from the n8n install (.ci/install-n8n.sh; quick when it is installed already). */
function n8nBaseNodes(): Record<string, INodeType | IVersionedNodeType> {
  const installed = execFileSync('bash', [path.join(ROOT, '.ci/install-n8n.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
  const dist = path.join(installed[installed.length - 1]!, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes');
  const load = (file: string, name: string) => new (createRequire(__filename)(path.join(dist, file)) as Record<string, new () => INodeType | IVersionedNodeType>)[name]!();
  return {
    'n8n-nodes-base.httpRequest': load('HttpRequest/HttpRequest.node.js', 'HttpRequest'),
    'n8n-nodes-base.set': load('Set/Set.node.js', 'Set'),
    'n8n-nodes-base.if': load('If/If.node.js', 'If'),
    'n8n-nodes-base.splitInBatches': load('SplitInBatches/SplitInBatches.node.js', 'SplitInBatches'),
    'n8n-nodes-base.stopAndError': load('StopAndError/StopAndError.node.js', 'StopAndError'),
  };
}

/**
 * The shipped workflow as provisioning binds it (Settings filled in), started at its Settings node — or, for
 * an event workflow, at its trigger, handed the event as the service delivers it; schedules are left out.
 * n8n's e-mail node does not load under jest (one of its dependencies is an ES module); no family here has
 * an e-mail address, so that branch is left out too (the end-to-end run in a real n8n keeps it).
 */
function shippedWorkflow(file: string, settings: Record<string, string>) {
  const shipped = JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as { nodes: INode[]; connections: IConnections; settings: Record<string, unknown> };
  const event = shipped.nodes.find((n) => n.type === `${PACKAGE}.homeSchoolBridgeTrigger`);
  const leftOut = new Set(shipped.nodes.filter((n) => (/Trigger$/.test(n.type) && n !== event) || n.type === 'n8n-nodes-base.emailSend').map((n) => n.name));
  const nodes = shipped.nodes.filter((n) => !leftOut.has(n.name)).map((n) => structuredClone(n));
  const start = nodes.findIndex((n) => n.name === (event?.name ?? 'Settings (设置)'));
  nodes.unshift(...nodes.splice(start, 1));
  const settingsNode = nodes.find((n) => n.name === 'Settings (设置)')!;
  for (const a of (settingsNode.parameters as { assignments: { assignments: Array<{ name: string; value: string }> } }).assignments.assignments) if (settings[a.name] !== undefined) a.value = settings[a.name]!;
  for (const n of nodes) if (n.credentials?.homeSchoolBridgeApi) n.credentials.homeSchoolBridgeApi = { id: 'cred-1', name: 'Home–School Bridge' };
  const connections = Object.fromEntries(
    Object.entries(shipped.connections)
      .filter(([from]) => !leftOut.has(from))
      .map(([from, c]) => [from, { main: c.main.map((outs) => (outs ?? []).filter((to) => !leftOut.has(to.node))) }]),
  );
  return { nodes, connections, settings: shipped.settings };
}

beforeAll(async () => {
  baseNodes = n8nBaseNodes();
  t = await startTestService();
  A = await t.college('A');
  officer = await t.staff('studentAffairs');
  // 130 families with a phone of their own (two outbox batches), 3 without one (printed, not sent).
  await seedArchives(A, 'WF', SMS_FAMILIES + 3, (i) => ({ guardians: i < SMS_FAMILIES ? [{ name: `家长${i}`, relation: '母亲', phone: phoneOf(i) }] : [] }));
  const key = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'n8n', scopes: ['letters:read', 'letters:manage'] } });
  expect(key.status).toBe(201);
  asOfficer = { homeSchoolBridgeApi: { baseUrl: t.url, apiKey: key.body.apiKey } };
}, 600_000);
afterAll(async () => {
  await t?.stop();
});

describe('term-letter workflows on the n8n engine', () => {
  let campaign: string;
  /** A family's link as its SMS carried it. */
  let familyLink: string;

  it('stops before sending anything while the SMS gateway is not set, naming the setting', async () => {
    const gateway = await startRecordingServer();
    try {
      const run = await runWorkflow(shippedWorkflow('term-letter-send.json', {}), { credentials: asOfficer, nodeTypes: baseNodes });
      expect(run.status).toBe('error');
      expect(run.error()?.message).toContain('smsGatewayUrl（短信网关地址）');
      expect(gateway.received).toHaveLength(0);
    } finally {
      await gateway.close();
    }
  });

  it('sends every family its own link by SMS through the gateway, retrying a failed SMS, and records every outcome', async () => {
    campaign = (await launchedLetter(t, officer, { channels: ['sms', 'print'], reminderAfterDays: 3 })).id;
    const answers: Array<{ sms: Sms; status: number }> = [];
    const gateway = await startRecordingServer((req: RecordedRequest) => {
      const sms = JSON.parse(req.body) as Sms;
      const status = sms.to.includes(DEAD) ? 400 : sms.to.includes(FLAKY) && !answers.some((a) => a.sms.to.includes(FLAKY)) ? 503 : 200;
      answers.push({ sms, status });
      return status;
    });
    try {
      const run = await runWorkflow(shippedWorkflow('term-letter-send.json', { smsGatewayUrl: `${gateway.url}/sms/send?key=test` }), { credentials: asOfficer, nodeTypes: baseNodes });
      expect(run.error()).toBeUndefined();
      expect(run.status).toBe('success');
      // Two outbox batches, each recorded in one go; then the outbox is empty and the run ends.
      expect(run.run.data.resultData.runData['Record outcomes (登记发送结果)']?.length).toBe(2);
    } finally {
      await gateway.close();
    }

    expect(gateway.received.every((r) => r.method === 'POST' && r.path === '/sms/send?key=test')).toBe(true);
    const accepted = answers.filter((a) => a.status === 200);
    expect(accepted).toHaveLength(SMS_FAMILIES - 1);
    familyLink = /https?:\/\/\S+\/l\/[0-9a-f]{24}\.[A-Za-z0-9_-]+/.exec(accepted[0]!.sms.text)![0];
    expect(new Set(accepted.map((a) => a.sms.reference)).size).toBe(SMS_FAMILIES - 1);
    expect(answers.filter((a) => a.sms.to.includes(FLAKY)).map((a) => a.status)).toEqual([503, 200]);
    expect(answers.filter((a) => a.sms.to.includes(DEAD)).map((a) => a.status)).toEqual([400, 400, 400]);
    for (const { sms } of accepted) {
      expect(sms.to).toHaveLength(1);
      // The family's own link: its token starts with its letter id.
      expect(sms.text).toMatch(new RegExp(`/l/${sms.reference}\\.[A-Za-z0-9_-]+`));
      expect(sms.text).toContain('致家长的一封信');
    }

    const letters = await mongoose.connection.collection('familyletters').find({ campaign: new mongoose.Types.ObjectId(campaign) }).toArray();
    const byPhone = new Map(letters.map((l) => [l.phones?.[0] as string | undefined, l]));
    expect(letters.filter((l) => l.channel === 'sms').every((l) => (l.phones[0] === DEAD ? l.delivery.state === 'failed' : l.delivery.state === 'sent'))).toBe(true);
    expect(String(byPhone.get(DEAD)!.delivery.error)).toMatch(/400/);
    expect(accepted.map((a) => a.sms.reference).sort()).toEqual(letters.filter((l) => l.channel === 'sms' && l.phones[0] !== DEAD).map((l) => l._id).sort());
    const progress = await t.request('GET', `/api/letter-campaigns/${campaign}/progress`, { as: officer });
    expect(progress.body).toMatchObject({ state: 'open', pending: 0, sent: SMS_FAMILIES - 1, failed: 1, print: 3 });
  });

  it('reminds every family that has not read the letter once, by SMS, and tells the group', async () => {
    // The reminder clock: the letters went out four days ago (the service decides by delivery.sentAt alone).
    await mongoose.connection.collection('familyletters').updateMany({ campaign: new mongoose.Types.ObjectId(campaign) }, { $set: { 'delivery.sentAt': new Date(Date.now() - 4 * 24 * 3600_000) } });
    const gateway = await startRecordingServer();
    const robot = await startRecordingServer();
    const settings = { smsGatewayUrl: `${gateway.url}/sms/send`, robotUrl: `${robot.url}/cgi-bin/webhook/send?key=test`, fromEmail: 'bridge@demo.edu.cn' };
    try {
      const run = await runWorkflow(shippedWorkflow('term-letter-nonreaders.json', settings), { credentials: asOfficer, nodeTypes: baseNodes });
      expect(run.error()).toBeUndefined();
      // Sent letters only (the failed one never reached the family): each family once.
      const reminders = gateway.received.map((r) => JSON.parse(r.body) as Sms);
      expect(reminders).toHaveLength(SMS_FAMILIES - 1);
      expect(new Set(reminders.map((r) => r.reference)).size).toBe(SMS_FAMILIES - 1);
      expect(reminders.every((r) => r.text.includes('您还没有阅读') && r.text.includes(`/l/${r.reference}.`))).toBe(true);
      expect(robot.received).toHaveLength(1);
      expect(JSON.parse(robot.received[0]!.body).text.content).toContain(`已向 ${SMS_FAMILIES - 1} 个家庭发送提醒`);

      // A second run finds nobody left to remind.
      const again = await runWorkflow(shippedWorkflow('term-letter-nonreaders.json', settings), { credentials: asOfficer, nodeTypes: baseNodes });
      expect(again.error()).toBeUndefined();
      expect(gateway.received).toHaveLength(SMS_FAMILIES - 1);
    } finally {
      await gateway.close();
      await robot.close();
    }
  });

  it('an overdue feedback is put to the group naming its owner and college (the event as the service delivers it)', async () => {
    const robot = await startRecordingServer();
    const overdue = {
      event: 'feedback.overdue',
      occurredAt: new Date().toISOString(),
      data: {
        ticketId: 'abc:def:safety', campaignId: campaign, collegeName: '机电工程学院', ownerName: '王老师', topic: 'safety', topicLabel: '安全', hoursOverdue: 26.5,
        escalateTo: [{ id: 'x', username: 'leader', displayName: '李院长', email: null }],
      },
    };
    try {
      const run = await runWorkflow(shippedWorkflow('term-letter-overdue.json', { robotUrl: `${robot.url}/cgi-bin/webhook/send?key=test`, fromEmail: 'bridge@demo.edu.cn' }), { credentials: asOfficer, nodeTypes: baseNodes, input: [{ json: overdue }] });
      expect(run.error()).toBeUndefined();
      expect(robot.received).toHaveLength(1);
      expect(JSON.parse(robot.received[0]!.body).text.content).toBe('【家校心桥】家长反馈逾期未回应：机电工程学院 · 安全，负责人 王老师，已逾期 26.5 小时，请尽快回应并登记落实情况。');
      // No leader has an e-mail address: nothing to e-mail.
      expect(run.run.data.resultData.runData['Leaders with an e-mail?']?.[0]?.data?.main[0]).toEqual([]);
    } finally {
      await robot.close();
    }
  });

  it('a parent’s feedback, delivered as the service sends the event, is put to its owner and the group naming its topic', async () => {
    // The owner (the letter's writer: no routing rule, no counselor, no leader) has an e-mail address on record.
    await UserModel.updateOne({ _id: officer.userId }, { $set: { email: 'affairs@demo.edu.cn', displayName: '学工部张老师' } });
    const receiver = await startRecordingServer();
    const robot = await startRecordingServer();
    try {
      const subscribed = await t.request('POST', '/api/webhooks', { as: officer, body: { url: `${receiver.url}/n8n`, events: ['feedback.received'], secret: 'term-letter-feedback-secret' } });
      expect(subscribed.status).toBe(201);
      const posted = await t.request('POST', `/api/parent-letters/${tokenOf(familyLink)}/feedback`, {
        body: { submissionId: randomUUID(), items: [{ topic: 'safety', text: '希望加强宿舍用电安全检查' }], contactWish: { wanted: true, phone: '13400000001', when: '周末' } },
      });
      expect(posted.status).toBe(201);
      const [delivered] = await receiver.waitFor(1);
      const event = JSON.parse(delivered!.body) as { event: string; data: { ticket: string; topic: string; owner: string } };
      expect(event).toMatchObject({ event: 'feedback.received', data: { topic: 'safety', owner: String(officer.userId), campaign } });

      // The trigger hands the workflow the delivered body with the delivery's id.
      const input = [{ json: { ...event, deliveryId: delivered!.headers['x-hsb-delivery'] ?? null } }];
      const run = await runWorkflow(shippedWorkflow('term-letter-feedback-routing.json', { robotUrl: `${robot.url}/cgi-bin/webhook/send?key=test`, fromEmail: 'bridge@demo.edu.cn' }), { credentials: asOfficer, nodeTypes: baseNodes, input });
      expect(run.error()).toBeUndefined();
      const [ticket] = run.output('The feedback (反馈详情)').map((i) => i.json);
      expect(ticket).toMatchObject({ id: event.data.ticket, topic: 'safety', topicLabel: '安全', owner: { id: String(officer.userId), name: '学工部张老师', email: 'affairs@demo.edu.cn' }, contactWish: { wanted: true } });
      // The owner has an address: the e-mail to them is next (sent by the end-to-end run's real n8n).
      expect(run.run.data.resultData.runData['Owner has an e-mail?']?.[0]?.data?.main[0]?.map((i) => i.json.id)).toEqual([event.data.ticket]);
      expect(robot.received).toHaveLength(1);
      const due = new Date(String(ticket!.dueAt)).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
      expect(JSON.parse(robot.received[0]!.body).text.content).toBe(`【家校心桥】家长反馈待回应：A 学院 · 安全，负责人 学工部张老师，请于 ${due} 前回应。`);
    } finally {
      await receiver.close();
      await robot.close();
    }
  });

  it('a letter closed in the last day: its XLSX report is made for student affairs; stops naming the settings while they are empty', async () => {
    const unset = await runWorkflow(shippedWorkflow('term-letter-closing-report.json', {}), { credentials: asOfficer, nodeTypes: baseNodes });
    expect(unset.status).toBe('error');
    expect(unset.error()?.message).toContain('studentAffairsEmail（学工部邮箱）');

    expect((await t.request('POST', `/api/letter-campaigns/${campaign}/close`, { as: officer })).status).toBe(200);
    const run = await runWorkflow(shippedWorkflow('term-letter-closing-report.json', { fromEmail: 'bridge@demo.edu.cn', studentAffairsEmail: 'affairs@demo.edu.cn' }), { credentials: asOfficer, nodeTypes: baseNodes });
    expect(run.error()).toBeUndefined();
    const closed = run.output('Closed in the last day?').map((i) => i.json);
    expect(closed.map((c) => c.id)).toEqual([campaign]);
    expect(closed[0]).toMatchObject({ state: 'closed', progress: { sent: SMS_FAMILIES - 1, failed: 1, print: 3 } });
    const [report] = run.output('The report (总结报告)');
    expect(report!.json).toMatchObject({ campaign, college: null });
    expect(report!.binary?.data?.fileName).toMatch(/\.xlsx$/);
    expect(Number(report!.json.bytes)).toBeGreaterThan(1000);
  });
});
