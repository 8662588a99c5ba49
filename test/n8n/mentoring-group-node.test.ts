import mongoose, { type Types } from 'mongoose';
import type { INodeExecutionData } from 'n8n-workflow';
import { UserModel } from '../../server/identity/user.model';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { chain, runWorkflow } from './engine-harness';

/**
 * The Mentoring Group (结对帮扶) node in n8n's engine against the real service: mentors suggested for a special
 * student, a group proposed, its members changed and the group approved; the service's refusals reaching the
 * node with their message (size, a second group, a stale revision); activities logged, the silent groups, the
 * report and the close with its outcome. The aid service team (a member, an activity, the summary) and a
 * funder's fund awarded up to its amount and no further, with the funder's report as figures and as XLSX.
 */

type N8nCredentials = Record<string, { baseUrl: string; apiKey: string }>;

let t: TestService;
let A: Types.ObjectId;
let officer: Credentials;
let mentors: Credentials[];
let asOfficer: N8nCredentials;
const students: string[] = [];

const json = (items: INodeExecutionData[]) => items.map((i) => i.json);
const group = (name: string, parameters: Record<string, unknown>, continueOnFail = false) => ({ name, type: 'mentoringGroup', parameters: { resource: 'group', ...parameters }, continueOnFail });
const members = (users: Credentials[]) => ({ member: users.map((u, i) => ({ user: String(u.userId), employment: i === 0 ? 'fullTime' : 'partTime', role: i === 0 ? 'leader' : 'member' })) });
const needs = { need: [{ area: 'studyInterest', note: '专业课学习动力不足' }, { area: 'mentalHealth', note: '' }] };

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A');
  officer = await t.staff('studentAffairs');
  mentors = [];
  for (const role of ['counselor', 'academicMentor', 'growthMentor', 'teacher', 'collegeLeader'] as const) mentors.push(await t.staff(role, A));
  for (const [i, m] of mentors.entries()) await UserModel.updateOne({ _id: m.userId }, { $set: { displayName: `导师${i}`, email: `mentor${i}@demo.edu.cn` } });
  // 0–2: special students; 3: a hardship student (a special category, good standing); 4: neither.
  await seedArchives(A, 'MG', 5, (i) => (i < 3 ? { careTier: 'special' } : i === 3 ? { specialCategories: ['financialHardship'] } : {}));
  const seeded = await mongoose.connection.collection('students').find({ studentNo: { $in: [0, 1, 2, 3, 4].map((i) => seededNumber('MG', i)) } }).sort({ studentNo: 1 }).toArray();
  students.push(...seeded.map((s) => String(s._id)));
  const scopes = ['students:read', 'mentoring:log', 'mentoring:propose', 'mentoring:approve', 'support:read', 'aidTeam:manage', 'funders:manage'];
  const key = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'n8n', scopes } });
  expect(key.status).toBe(201);
  asOfficer = { homeSchoolBridgeApi: { baseUrl: t.url, apiKey: key.body.apiKey } };
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('Mentoring Group (结对帮扶) node, groups (C1–C2)', () => {
  let groupId: string;

  it('C1: suggests the college’s staff for a special student, proposes a group, adds a member and approves it', async () => {
    const suggested = await runWorkflow(chain(group('Suggest', { operation: 'suggestMentors', student: students[0] })), { credentials: asOfficer });
    expect(suggested.error()).toBeUndefined();
    const suggestions = json(suggested.output('Suggest'));
    expect(suggestions.map((s) => s.userId).sort()).toEqual(mentors.map((m) => String(m.userId)).sort());
    expect(suggestions.every((s) => (s.student as { id: string }).id === students[0] && s.load === 0)).toBe(true);

    const run = await runWorkflow(
      chain(
        group('Propose', { operation: 'propose', student: students[0], members: members(mentors.slice(0, 3)), needs, plan: '每两周面谈一次' }),
        group('Change', { operation: 'changeMembers', groupId: '={{ $json.id }}', add: { member: [{ user: String(mentors[3]!.userId), employment: 'partTime' }] }, leader: String(mentors[1]!.userId), reason: '增加一名专业课教师' }),
        group('Approve', { operation: 'approve', groupId: '={{ $json.id }}' }),
        group('Get', { operation: 'get', groupId: '={{ $json.id }}' }),
      ),
      { credentials: asOfficer },
    );
    expect(run.error()).toBeUndefined();
    const [proposed] = json(run.output('Propose'));
    expect(proposed).toMatchObject({ state: 'proposed', student: { id: students[0] }, plan: '每两周面谈一次' });
    expect((proposed!.needs as Array<{ area: string; areaLabel: string }>).map((n) => n.areaLabel)).toEqual(['学习兴趣', '心理疏导']);
    groupId = String(proposed!.id);
    const [changed] = json(run.output('Change'));
    expect((changed!.members as Array<{ userId: string; role: string }>).map((m) => [m.userId, m.role])).toEqual([
      [String(mentors[0]!.userId), 'member'], [String(mentors[1]!.userId), 'leader'], [String(mentors[2]!.userId), 'member'], [String(mentors[3]!.userId), 'member'],
    ]);
    expect((changed!.memberHistory as Array<{ change: string; reason: string }>).filter((h) => h.reason === '增加一名专业课教师').map((h) => h.change).sort()).toEqual(['added', 'leader']);
    expect(json(run.output('Approve'))[0]).toMatchObject({ id: groupId, state: 'active', stateLabel: '帮扶中' });
    expect(json(run.output('Get'))[0]).toMatchObject({ id: groupId, state: 'active', members: expect.any(Array) });
  });

  it('C1: the service’s refusals reach the node with its message — three to five members, one open group per student, a stale revision', async () => {
    const run = await runWorkflow(
      chain(
        group('Too few', { operation: 'propose', student: students[1], members: members(mentors.slice(0, 2)), needs, plan: '计划' }, true),
        group('Second', { operation: 'propose', student: students[0], members: members(mentors.slice(0, 3)), needs, plan: '计划' }, true),
        group('Stale', { operation: 'changeMembers', groupId, remove: String(mentors[3]!.userId), reason: '调离', revision: '1' }, true),
      ),
      { credentials: asOfficer },
    );
    expect(run.error()).toBeUndefined();
    const [tooFew] = json(run.output('Too few'));
    expect(tooFew).toEqual({ error: '帮扶小组须由 3–5 名教师组成，当前 2 名 / A mentoring group has 3 to 5 members, not 2', description: 'members: 成员须为 3–5 名，当前 2 名 (3 to 5 members, not 2)' });
    expect(json(run.output('Second'))[0]).toMatchObject({ error: expect.stringMatching(/^该生已有待审批或帮扶中的帮扶小组.* \/ The student already has a proposed or active mentoring group/), description: expect.stringMatching(/^student: /) });
    expect(json(run.output('Stale'))[0]).toMatchObject({ error: expect.stringMatching(/^帮扶小组在版本 1 之后已被他人修改.* \/ The mentoring group was changed by someone else after revision 1/) });
    // Nothing changed: still four members.
    expect(((await t.request('GET', `/api/mentoring-groups/${groupId}`, { as: officer })).body.members as unknown[]).length).toBe(4);
  });

  it('C2: logs activities, lists the group, finds it silent weeks later, reports it and closes it with its outcome', async () => {
    const run = await runWorkflow(
      chain(
        group('Log', { operation: 'logActivity', groupId, at: '2026-11-20T15:30:00', kind: 'meeting', areas: ['studyInterest', 'mentalHealth'], summary: '与学生面谈，制定学习计划', nextStep: '两周后复谈' }),
        group('Many', { operation: 'getMany', filters: { state: 'active', student: students[0] }, returnAll: true }),
      ),
      { credentials: asOfficer },
    );
    expect(run.error()).toBeUndefined();
    expect(json(run.output('Log'))[0]).toMatchObject({ group: groupId, kind: 'meeting', kindLabel: '面谈', areaLabels: ['学习兴趣', '心理疏导'], summary: '与学生面谈，制定学习计划', nextStep: '两周后复谈' });
    expect(json(run.output('Many')).map((g) => g.id)).toEqual([groupId]);

    // Five weeks without an activity.
    await mongoose.connection.collection('mentoringgroups').updateOne({ _id: new mongoose.Types.ObjectId(groupId) }, { $set: { lastActivityAt: new Date(Date.now() - 35 * 864e5) } });
    // Beijing's date: the service reads calendar dates in Asia/Shanghai.
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const later = await runWorkflow(
      chain(
        group('Inactive', { operation: 'getInactive' }),
        group('Report', { operation: 'getReport', from: '2026-01-01T00:00:00', to: `${today}T00:00:00` }),
        group('Incomplete', { operation: 'close', groupId, outcome: 'employed', employer: '', date: '' }, true),
        group('Close', { operation: 'close', groupId, outcome: 'employed', employer: '某某科技有限公司', date: `${today}T00:00:00`, note: '专业对口' }),
      ),
      { credentials: asOfficer },
    );
    expect(later.error()).toBeUndefined();
    const inactive = json(later.output('Inactive'));
    expect(inactive.map((g) => g.id)).toEqual([groupId]);
    expect(inactive[0]).toMatchObject({ weeksSilent: 5, leader: { userId: String(mentors[1]!.userId), email: 'mentor1@demo.edu.cn' } });
    const [report] = json(later.output('Report'));
    expect(report!.colleges).toEqual([expect.objectContaining({ collegeName: 'A 学院', formed: 1, active: 1, activities: 1, inactive: 1 })]);
    const incomplete = json(later.output('Incomplete'))[0]!;
    expect(incomplete.error).toBe('结束帮扶须填写就业单位、就业日期 / The outcome needs the employer and the date');
    expect(String(incomplete.description)).toBe('outcome.employer: 请填写就业单位 (the employer is required for this outcome); outcome.date: 请填写就业日期 (the date is required for this outcome)');
    expect(json(later.output('Close'))[0]).toMatchObject({ state: 'closed', outcome: { kind: 'employed', kindLabel: '已就业', employer: '某某科技有限公司' } });
  });
});

describe('Mentoring Group (结对帮扶) node, aid service team and funders (E1–E2)', () => {
  it('E1: a hardship student joins the team, one who is not is refused with the reasons; an activity’s hours reach the summary', async () => {
    const aid = (name: string, parameters: Record<string, unknown>, continueOnFail = false) => ({ name, type: 'mentoringGroup', parameters: { resource: 'aidTeam', ...parameters }, continueOnFail });
    const run = await runWorkflow(
      chain(
        aid('Refused', { operation: 'addMember', student: students[4], role: 'member', from: '2026-09-01T00:00:00' }, true),
        aid('Add', { operation: 'addMember', student: students[3], role: 'captain', from: '2026-09-01T00:00:00' }),
        aid('Activity', { operation: 'logActivity', kind: 'volunteering', title: '社区助老志愿服务', date: '2026-10-15T00:00:00', place: '幸福社区', participants: { participant: [{ member: '={{ $json.id }}', hours: 2.5 }] } }),
        aid('Summary', { operation: 'getSummary', year: 2026, member: "={{ $('Add').first().json.id }}" }),
        aid('Team', { operation: 'getSummary', year: 2026, member: '' }),
      ),
      { credentials: asOfficer },
    );
    expect(run.error()).toBeUndefined();
    expect(json(run.output('Refused'))[0]).toMatchObject({ error: expect.stringMatching(/^该生不符合助学服务队伍的条件：.* \/ The student cannot join the aid service team: /), description: expect.stringMatching(/^student: /) });
    expect(json(run.output('Add'))[0]).toMatchObject({ role: 'captain' });
    expect(json(run.output('Summary'))[0]).toMatchObject({ year: 2026, activities: 1, hours: 2.5 });
    expect(json(run.output('Team'))).toEqual([expect.objectContaining({ activities: 1, hours: 2.5 })]);
  });

  it('E2: a funder’s fund is awarded up to its amount and no further; the report names a student only with consent, and comes as XLSX', async () => {
    const funder = (name: string, parameters: Record<string, unknown>, continueOnFail = false) => ({ name, type: 'mentoringGroup', parameters: { resource: 'funder', ...parameters }, continueOnFail });
    const run = await runWorkflow(
      chain(
        funder('Funder', { operation: 'create', kind: 'alumnus', name: '王校友', contact: '13800000000' }),
        funder('Fund', { operation: 'createFund', funderId: '={{ $json.id }}', kind: 'grant', name: '王校友助学金', year: 2026, amount: 3000, criteria: '家庭经济困难、品学兼优' }),
        funder('Award', { operation: 'awardFund', fundId: '={{ $json.id }}', student: students[3], amount: 2000, date: '2026-11-01T00:00:00', reason: '家庭经济困难', nameConsent: false }),
        funder('Exceeded', { operation: 'awardFund', fundId: "={{ $('Fund').first().json.id }}", student: students[0], amount: 1500, date: '2026-11-02T00:00:00', reason: '家庭经济困难', nameConsent: true }, true),
        funder('Report', { operation: 'getReport', funderId: "={{ $('Funder').first().json.id }}", year: 2026, output: 'json' }),
        funder('Workbook', { operation: 'getReport', funderId: "={{ $('Funder').first().json.id }}", year: 2026, output: 'xlsx', binaryPropertyName: 'report' }),
      ),
      { credentials: asOfficer },
    );
    expect(run.error()).toBeUndefined();
    expect(json(run.output('Fund'))[0]).toMatchObject({ amount: 3000, awarded: 0, remaining: 3000 });
    expect(json(run.output('Award'))[0]).toMatchObject({ amount: 2000 });
    const exceeded = json(run.output('Exceeded'))[0]!;
    expect(exceeded).toEqual({ error: '资助金额 1500 元超出该项目余额（剩余 1000 元） / The award of 1500 yuan would exceed the fund: 1000 yuan remain', description: 'amount: 超出项目余额，最多还可资助 1000 元 (exceeds the fund: at most 1000 yuan remain)' });
    const report = JSON.stringify(json(run.output('Report'))[0]);
    expect(report).toContain('某同学');
    expect(report).not.toContain('学生MG3');
    const [workbook] = run.output('Workbook');
    expect(workbook!.binary?.report?.fileName).toMatch(/\.xlsx$/);
    expect(Number(workbook!.json.bytes)).toBeGreaterThan(1000);
  });
});
