import type { Types } from 'mongoose';
import { onDomainEvent, type DomainEvent } from '../../server/events/event-bus';
import { UserModel } from '../../server/identity/user.model';
import { FieldCipher } from '../../server/security/field-cipher';
import { StudentsService } from '../../server/students/students.service';
import { CampaignMilestoneModel } from '../../server/visits/campaign-milestone.model';
import { checkPlanDeadlines } from '../../server/visits/deadline-reminders';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { seedArchives } from '../support/seed-archives';

/**
 * Plan deadline reminders (`campaign.deadlineApproaching` 72 h / 24 h / 2 h before, `campaign.planOverdue`
 * after) on the real service and database: each goes once even when many checks run at the same time,
 * never to a college with an approved plan, and a college's extension moves its reminders. And decisions
 * made in an n8n approval message, recorded by a relaying key for the approver: checked against the
 * approver's own role and scope.
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let C: Types.ObjectId;
let officer: Credentials;
let leaderA: Credentials;
let leaderB: Credentials;
let leaderC: Credentials;
let counselorB: Credentials;
let counselorC: Credentials;
let students: StudentsService;
const events: DomainEvent[] = [];
let stopListening: () => void;

const HOUR = 3_600_000;
const IMPLEMENTATION = { organization: '学院党委统一部署', schedule: '1月15日至2月20日', safety: '结伴出行，保持通讯畅通' };

const seedStudents = (college: Types.ObjectId, prefix: string, count: number) => seedArchives(college, prefix, count);

const planRoute = (campaignId: string, college: string, tail = '') => `/api/visit-campaigns/${campaignId}/plans/${college}${tail}`;

async function fileAndSubmit(campaignId: string, college: string, prefix: string, count: number, as: Credentials) {
  const entries = Array.from({ length: count }, (_, i) => ({ student: `${prefix}${String(i).padStart(5, '0')}`, mode: 'onsite', kind: 'general', visitors: [{ user: as.username }] }));
  expect((await t.request('PUT', planRoute(campaignId, college), { as, body: { entries, implementation: IMPLEMENTATION } })).status).toBeLessThan(300);
  const submitted = await t.request('POST', planRoute(campaignId, college, '/submit'), { as });
  expect(submitted.status).toBe(200);
}

async function openCampaign(planDueAt: Date, colleges: string[]): Promise<string> {
  const year = new Date().getFullYear() + 1;
  const created = await t.request('POST', '/api/visit-campaigns', {
    as: officer,
    body: { title: `${year}年寒假家访（提醒）`, break: 'winter', visitStartsOn: `${year}-01-15`, visitEndsOn: `${year}-02-20`, planDueAt: planDueAt.toISOString(), colleges },
  });
  expect(created.status).toBe(201);
  expect((await t.request('POST', `/api/visit-campaigns/${created.body.id}/open`, { as: officer })).status).toBe(200);
  return created.body.id as string;
}

/** `runs` checks at once (overlapping runs, or replicas) at `now`: the events they emitted. */
async function check(now: Date, runs = 1): Promise<DomainEvent[]> {
  const before = events.length;
  await Promise.all(Array.from({ length: runs }, () => checkPlanDeadlines(students, now)));
  return events.slice(before).filter((e) => e.type.startsWith('campaign.') && e.type !== 'campaign.opened');
}

const summary = (list: DomainEvent[]) => list.map((e) => `${e.payload.collegeCode} ${e.type} ${e.payload.stage}`).sort();

beforeAll(async () => {
  t = await startTestService();
  students = new StudentsService(new FieldCipher(t.config.encryptionKey!), t.config.calendar);
  [A, B, C] = [await t.college('A', '会计学院'), await t.college('B', '信息学院'), await t.college('C', '机电学院')];
  officer = await t.staff('studentAffairs');
  [leaderA, leaderB, leaderC] = [await t.staff('collegeLeader', A), await t.staff('collegeLeader', B), await t.staff('collegeLeader', C)];
  [counselorB, counselorC] = [await t.staff('counselor', B), await t.staff('counselor', C)];
  for (const who of [officer, leaderA, leaderB, leaderC]) await UserModel.updateOne({ _id: who.userId }, { $set: { email: `${who.username}@demo.edu.cn` } });
  await seedStudents(A, 'A', 3412);
  await seedStudents(B, 'B', 250);
  await seedStudents(C, 'C', 100);
  stopListening = onDomainEvent(async (event) => {
    events.push(event);
  });
}, 120_000);
afterAll(async () => {
  stopListening();
  await t.stop();
});

describe('plan deadline reminders', () => {
  it('reminds each college without an approved plan once per stage, under parallel checks; follows extensions; overdue after the deadline', async () => {
    const dueAt = new Date(Date.now() + 100 * HOUR);
    const campaignId = await openCampaign(dueAt, ['A', 'B', 'C']);
    // B has submitted (awaiting its college leader), C's plan is approved: C is never reminded.
    await fileAndSubmit(campaignId, 'B', 'B', 3, counselorB);
    await fileAndSubmit(campaignId, 'C', 'C', 1, counselorC);
    expect((await t.request('POST', planRoute(campaignId, 'C', '/approve'), { as: leaderC, body: {} })).status).toBe(200);
    expect((await t.request('POST', planRoute(campaignId, 'C', '/approve'), { as: officer, body: {} })).status).toBe(200);

    expect(await check(new Date(dueAt.getTime() - 73 * HOUR), 4)).toEqual([]);

    // 71 h before: eight checks at once send the 72 h reminder once per college.
    const first = await check(new Date(dueAt.getTime() - 71 * HOUR), 8);
    expect(summary(first)).toEqual(['A campaign.deadlineApproaching 72h', 'B campaign.deadlineApproaching 72h']);
    const a = first.find((e) => e.payload.collegeCode === 'A')!;
    expect(String(a.college)).toBe(String(A));
    expect(a.payload).toMatchObject({
      campaignId, collegeName: '会计学院', hoursLeft: 71, planState: 'none', planStateZh: '未填报', submitted: false, students: 3412, required: 35, planned: 0, extended: false,
      leaders: [{ username: leaderA.username, email: `${leaderA.username}@demo.edu.cn` }],
    });
    expect(a.payload.dueText).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    expect(first.find((e) => e.payload.collegeCode === 'B')!.payload).toMatchObject({ planState: 'submitted', submitted: true, awaiting: 'collegeLeader', required: 3, planned: 3 });
    expect(await check(new Date(dueAt.getTime() - 70 * HOUR), 4)).toEqual([]);

    // 20 h before: the 24 h reminder, once; B's plan is approved meanwhile, so only A.
    expect((await t.request('POST', planRoute(campaignId, 'B', '/approve'), { as: leaderB, body: {} })).status).toBe(200);
    expect((await t.request('POST', planRoute(campaignId, 'B', '/approve'), { as: officer, body: {} })).status).toBe(200);
    expect(summary(await check(new Date(dueAt.getTime() - 20 * HOUR), 6))).toEqual(['A campaign.deadlineApproaching 24h']);

    // A gets three days more: nothing until 72 h before its own deadline, which the reminder names.
    const until = new Date(dueAt.getTime() + 72 * HOUR);
    const extended = await t.request('POST', `/api/visit-campaigns/${campaignId}/extensions`, { as: officer, body: { college: 'A', until: until.toISOString(), reason: '学院迎评，延期三天' } });
    expect(extended.status).toBe(201);
    expect(await check(new Date(dueAt.getTime() - 1 * HOUR), 3)).toEqual([]);
    const moved = await check(new Date(dueAt.getTime() + 1 * HOUR), 3);
    expect(summary(moved)).toEqual(['A campaign.deadlineApproaching 72h']);
    expect(moved[0]!.payload).toMatchObject({ extended: true, hoursLeft: 71 });
    expect(summary(await check(new Date(until.getTime() - 90 * 60_000), 3))).toEqual(['A campaign.deadlineApproaching 2h']);

    // After its deadline: the overdue signal, once, naming student affairs to escalate to.
    const overdue = await check(new Date(until.getTime() + 2 * HOUR), 8);
    expect(summary(overdue)).toEqual(['A campaign.planOverdue overdue']);
    expect(overdue[0]!.payload).toMatchObject({ hoursOverdue: 2, hoursLeft: 0, planState: 'none', studentAffairs: [{ username: officer.username }] });
    expect(await check(new Date(until.getTime() + 30 * HOUR), 4)).toEqual([]);

    const taken = await CampaignMilestoneModel.find({ campaign: campaignId }).lean();
    expect(taken.map((m) => `${String(m.college) === String(A) ? 'A' : 'B'} ${m.stage}`).sort()).toEqual(['A 24h', 'A 2h', 'A 72h', 'A 72h', 'A overdue', 'B 72h']);
  });

  it('sends nothing for a closed campaign', async () => {
    const dueAt = new Date(Date.now() + 10 * HOUR);
    const campaignId = await openCampaign(dueAt, ['A']);
    expect((await t.request('POST', `/api/visit-campaigns/${campaignId}/close`, { as: officer })).status).toBe(200);
    expect((await check(new Date(dueAt.getTime() + HOUR))).filter((e) => e.payload.campaignId === campaignId)).toEqual([]);
  });
});

describe('a decision made in an n8n approval message, recorded for the approver (onBehalfOf)', () => {
  it('counts as the approver’s own: their role and scope are checked, and who relayed it is kept', async () => {
    const campaignId = await openCampaign(new Date(Date.now() + 200 * HOUR), ['A', 'B']);
    await fileAndSubmit(campaignId, 'B', 'B', 3, counselorB);
    const approve = (as: Credentials, onBehalfOf?: string) => t.request('POST', planRoute(campaignId, 'B', '/approve'), { as, body: onBehalfOf ? { onBehalfOf } : {} });

    // Not B's college leader, and not the step now due: refused as if they had acted themselves.
    expect((await approve(officer, leaderA.username)).status).toBe(403);
    expect((await approve(officer, officer.username)).status).toBe(403);
    // Only a relaying account (visitPlans:relay) may record a decision for someone, even the approver themself.
    expect((await approve(leaderB, leaderB.username)).status).toBe(403);
    const unknown = await approve(officer, 'nobody-here');
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('onBehalfOf');

    const before = events.length;
    const first = await approve(officer, String(leaderB.userId));
    expect(first.status).toBe(200);
    expect(first.body.approvals).toEqual([expect.objectContaining({ role: 'collegeLeader', byName: leaderB.username, relayedBy: officer.username })]);
    const emitted = events.slice(before).find((e) => e.type === 'visitPlan.approved')!;
    expect(emitted.payload).toMatchObject({ final: false, approvedBy: { username: leaderB.username, role: 'collegeLeader', relayedBy: officer.username }, awaiting: { role: 'studentAffairs' } });
    expect((emitted.payload.approvers as Array<{ username: string }>).map((x) => x.username)).toContain(officer.username);

    // A return needs its reason, relayed or not; then student affairs' own decision is recorded for them.
    const blank = await t.request('POST', planRoute(campaignId, 'B', '/return'), { as: officer, body: { onBehalfOf: officer.username, reason: ' ' } });
    expect(blank.status).toBe(400);
    expect(JSON.stringify(blank.body)).toContain('退回家访计划须填写原因');
    const done = await approve(officer, officer.username);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'approved' });
    const history = await t.request('GET', planRoute(campaignId, 'B', '/history'), { as: officer });
    expect(history.body.slice(0, 2).map((h: { action: string; by: string }) => `${h.action} ${h.by}`)).toEqual([`approve ${officer.username}`, `approve ${leaderB.username}`]);
  });
});
