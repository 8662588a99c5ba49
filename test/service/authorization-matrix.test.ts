import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readScopeMarkdown } from '../../server/identity/policy-table';
import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { READ_SCOPE, RESOURCES, type Resource, type Scope } from '../../server/identity/policy';
import { ROLE_NAMES, ROLE_PERMISSIONS, ROLES, type Role } from '../../server/identity/roles';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * The authorization matrix, generated from the policy table: every role reads every list over real HTTP,
 * and what comes back must be exactly what the table's scope says — computed here from each record's
 * college and its people, independently of the service's own filter code.
 */

interface Fixture {
  id: string;
  college: 'A' | 'B';
  /** People the record belongs to, by the policy's meaning of "own" / "assigned" for its kind. */
  own: string[];
  counselor?: string;
}

let t: TestService;
const people = new Map<string, Credentials & { role: Role; college?: 'A' | 'B' }>();
const records: Record<'student' | 'contact' | 'case' | 'award' | 'submission' | 'visitPlan' | 'visitReport' | 'typicalCase', Fixture[]> = { student: [], contact: [], case: [], award: [], submission: [], visitPlan: [], visitReport: [], typicalCase: [] };
let campaignId = '';
const collegeIds = new Map<'A' | 'B', Types.ObjectId>();

const key = (role: Role, college?: 'A' | 'B', n = 1) => `${role}${college ?? ''}${n}`;
const person = (role: Role, college?: 'A' | 'B', n = 1) => people.get(key(role, college, n))!;

async function post(as: Credentials, route: string, body: unknown) {
  const response = await t.request('POST', route, { as, body });
  if (response.status >= 300) throw new Error(`${route}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

beforeAll(async () => {
  t = await startTestService();
  for (const college of ['A', 'B'] as const) {
    collegeIds.set(college, await t.college(college));
    for (const role of ROLE_NAMES.filter((r) => ROLES[r].collegeScoped)) {
      const count = role === 'counselor' ? 2 : 1;
      for (let n = 1; n <= count; n += 1) people.set(key(role, college, n), { ...(await t.staff(role, collegeIds.get(college))), role, college });
    }
  }
  for (const role of ROLE_NAMES.filter((r) => !ROLES[r].collegeScoped)) people.set(key(role), { ...(await t.staff(role)), role });
  const year = new Date().getFullYear() + 1;
  const campaign = await post(person('studentAffairs'), '/api/visit-campaigns', { title: '寒假家访', break: 'winter', visitStartsOn: `${year}-01-15`, visitEndsOn: `${year}-02-20`, planDueAt: `${year}-01-10 12:00` });
  campaignId = campaign.id;
  await post(person('studentAffairs'), `/api/visit-campaigns/${campaignId}/open`, {});

  for (const college of ['A', 'B'] as const) {
    const counselor = person('counselor', college, 1);
    const teacher = person('teacher', college);
    for (const n of [1, 2]) {
      const looksAfter = person('counselor', college, n);
      const student = await post(counselor, '/api/students', {
        studentNo: `2024${college}M00${n}`, name: `学生${college}${n}`, gender: '女', birthDate: '2006-01-01', college, major: '会计', grade: '2024',
        className: '会计1班', counselor: looksAfter.username, medicalHistory: '哮喘',
      });
      records.student.push({ id: student.studentNo, college, own: [String(looksAfter.userId)], counselor: String(looksAfter.userId) });
    }
    const contactBy = async (who: Credentials, studentNo: string) => {
      const contact = await post(who, '/api/contacts', { student: studentNo, guardianName: '家长', channel: 'phone', topics: ['grades'], summary: '沟通', parentFeedback: '反馈' });
      records.contact.push({ id: contact.id, college, own: [String(who.userId)] });
    };
    await contactBy(teacher, `2024${college}M001`);
    await contactBy(counselor, `2024${college}M002`);
    const raised = await post(teacher, '/api/cases', { student: `2024${college}M001`, category: 'academic', description: '多门课程不及格' });
    records.case.push({ id: raised.case.id, college, own: [String(teacher.userId), raised.case.owner] });
    const award = await post(counselor, '/api/awards', { student: `2024${college}M002`, kind: 'award', title: '省级奖学金', level: 'provincial', category: 'honour', date: '2026-10-01' });
    records.award.push({ id: award.id, college, own: [String(counselor.userId), award.owner] });
    const plan = await t.request('PUT', `/api/visit-campaigns/${campaignId}/plans/${college}`, {
      as: counselor,
      body: {
        entries: [{ student: `2024${college}M001`, mode: 'onsite', kind: 'general', visitors: [{ user: counselor.username }, { user: teacher.username }] }],
        implementation: { organization: '辅导员负责', schedule: '寒假期间', safety: '结伴出行' },
      },
    });
    if (plan.status !== 201) throw new Error(`plan: ${plan.status} ${JSON.stringify(plan.body)}`);
    records.visitPlan.push({ id: plan.body.id, college, own: [String(counselor.userId)] });
    // The plan approved, the teacher among its visitors starts the visit's report (D6).
    const planRoute = `/api/visit-campaigns/${campaignId}/plans/${college}`;
    await post(counselor, `${planRoute}/submit`, {});
    await post(person('collegeLeader', college), `${planRoute}/approve`, {});
    const approved = await post(person('studentAffairs'), `${planRoute}/approve`, {});
    const report = await post(teacher, '/api/visit-reports', { campaign: campaignId, college, entryId: approved.approved.entries[0].id });
    records.visitReport.push({ id: report.id, college, own: [String(counselor.userId), String(teacher.userId)] });
    for (const who of [teacher, counselor]) {
      const submission = await post(who, '/form/termLetterFeedback/submission', { data: { studentName: '学生', parentName: '家长', satisfaction: 'satisfied', opinions: '很好', wantsReply: 'no' } });
      records.submission.push({ id: submission._id, college, own: [String(who.userId)] });
    }
  }

  // D9: a typical case per college, drawn on a report submitted in a campaign whose visits have begun.
  const today = DateTime.now().setZone('Asia/Shanghai').startOf('day');
  const current = await post(person('studentAffairs'), '/api/visit-campaigns', {
    title: '本期家访', break: 'winter', visitStartsOn: today.minus({ days: 5 }).toISODate(), visitEndsOn: today.plus({ days: 20 }).toISODate(), planDueAt: `${today.plus({ days: 3 }).toISODate()} 12:00`, evidence: { onsite: 4, video: 2, phone: 0 },
  });
  await post(person('studentAffairs'), `/api/visit-campaigns/${current.id}/open`, {});
  for (const college of ['A', 'B'] as const) {
    const counselor = person('counselor', college, 1);
    const planRoute = `/api/visit-campaigns/${current.id}/plans/${college}`;
    const filed = await t.request('PUT', planRoute, { as: counselor, body: { entries: [{ student: `2024${college}M002`, mode: 'phone', kind: 'general', visitors: [{ user: counselor.username }] }], implementation: { organization: '辅导员负责', schedule: '寒假期间', safety: '结伴出行' } } });
    if (filed.status !== 201) throw new Error(`plan: ${filed.status} ${JSON.stringify(filed.body)}`);
    await post(counselor, `${planRoute}/submit`, {});
    await post(person('collegeLeader', college), `${planRoute}/approve`, {});
    const approved = await post(person('studentAffairs'), `${planRoute}/approve`, {});
    const report = await post(counselor, '/api/visit-reports', { campaign: current.id, college, entryId: approved.approved.entries[0].id });
    const saved = await t.request('PATCH', `/api/visit-reports/${report.id}`, { as: counselor, body: { visitedOn: today.minus({ days: 1 }).toISODate(), metWith: '父亲', orientations: ['growth'], account: '电话家访', reflections: '收获', parentOpinion: '支持' } });
    if (saved.status !== 200) throw new Error(`report: ${saved.status} ${JSON.stringify(saved.body)}`);
    await post(counselor, `/api/visit-reports/${report.id}/submit`, {});
    const typical = await post(counselor, '/api/typical-cases', { student: `2024${college}M002`, reports: [report.id], title: `成长案例${college}` });
    records.typicalCase.push({ id: typical.id, college, own: [String(counselor.userId)] });
  }
}, 240_000);
afterAll(async () => {
  await t.stop();
});

/** What the table says an actor sees of these records, in a list (`lookup` lists nothing). */
function expected(scope: Scope, actor: { userId: Types.ObjectId; college?: 'A' | 'B' }, fixtures: Fixture[], access: 'list' | 'one'): string[] {
  return fixtures
    .filter((r) => {
      if (scope === 'school') return true;
      if (scope === 'none' || r.college !== actor.college) return false;
      if (scope === 'college') return true;
      if (scope === 'lookup') return access === 'one';
      if (scope === 'assigned') return r.counselor === String(actor.userId);
      return r.own.includes(String(actor.userId));
    })
    .map((r) => r.id)
    .sort();
}

// Term letters, feedback tickets, mentoring groups and the support records have their own scope tests
// (test/service/letter-*.test.ts, mentoring-*.test.ts, aid-team.test.ts, funders.test.ts).
const LISTS: Record<Exclude<Resource, 'sensitive' | 'file' | 'letter' | 'feedback' | 'mentoringGroup' | 'aidTeam' | 'fundAward'>, { route: string; permission: string; ids: (body: unknown) => string[] }> = {
  student: { route: '/api/students?limit=500', permission: 'students:read', ids: (b) => (b as { items: Array<{ studentNo: string }> }).items.map((i) => i.studentNo) },
  contact: { route: '/api/contacts?limit=200', permission: 'students:read', ids: (b) => (b as { items: Array<{ id: string }> }).items.map((i) => i.id) },
  case: { route: '/api/cases?limit=200', permission: 'students:read', ids: (b) => (b as { items: Array<{ id: string }> }).items.map((i) => i.id) },
  award: { route: '/api/awards?limit=200', permission: 'students:read', ids: (b) => (b as { items: Array<{ id: string }> }).items.map((i) => i.id) },
  submission: { route: '/form/termLetterFeedback/submission?limit=100', permission: 'submissions:read', ids: (b) => (b as Array<{ _id: string }>).map((i) => i._id) },
  visitPlan: {
    get route() {
      return `/api/visit-plans?campaign=${campaignId}&limit=500`;
    },
    permission: 'visits:read',
    ids: (b) => (b as { items: Array<{ id: string }> }).items.map((i) => i.id),
  },
  visitReport: {
    get route() {
      return `/api/visit-reports?campaign=${campaignId}&limit=500`;
    },
    permission: 'visits:read',
    ids: (b) => (b as { items: Array<{ id: string }> }).items.map((i) => i.id),
  },
  typicalCase: { route: '/api/typical-cases?limit=200', permission: 'visits:read', ids: (b) => (b as { items: Array<{ id: string }> }).items.map((i) => i.id) },
};

const actors = (): Array<[string, Role]> => [...people.keys()].map((k) => [k, people.get(k)!.role]);

describe('authorization matrix (from the policy table, over HTTP)', () => {
  it('has a scope for every role and kind of record', () => {
    for (const role of ROLE_NAMES) expect(Object.keys(READ_SCOPE[role]).sort()).toEqual([...RESOURCES].sort());
  });

  for (const resource of Object.keys(LISTS) as Array<keyof typeof LISTS>) {
    it(`lists exactly the ${resource} records each role's scope allows`, async () => {
      const { route, permission, ids } = LISTS[resource];
      for (const [name, role] of actors()) {
        const actor = people.get(name)!;
        const response = await t.request('GET', route, { as: actor });
        if (!(ROLE_PERMISSIONS[role] as readonly string[]).includes(permission)) {
          expect([name, response.status]).toEqual([name, 403]);
          continue;
        }
        expect([name, response.status]).toEqual([name, 200]);
        const seen = ids(response.body).filter((id) => records[resource].some((r) => r.id === id)).sort();
        expect([name, seen]).toEqual([name, expected(READ_SCOPE[role][resource], actor, records[resource], 'list')]);
      }
    });
  }

  it('opens one named archive exactly where the scope allows, and shows its sensitive part only within the sensitive scope', async () => {
    for (const [name, role] of actors()) {
      const actor = people.get(name)!;
      const readable = expected(READ_SCOPE[role].student, actor, records.student, 'one');
      const revealed = (ROLE_PERMISSIONS[role] as readonly string[]).includes('sensitive:read') ? expected(READ_SCOPE[role].sensitive, actor, records.student, 'one') : [];
      for (const student of records.student) {
        const response = await t.request('GET', `/api/students/${student.id}`, { as: actor });
        expect([name, student.id, response.status]).toEqual([name, student.id, readable.includes(student.id) ? 200 : 404]);
        if (response.status === 200) expect([name, student.id, response.body.medicalHistory ?? null]).toEqual([name, student.id, revealed.includes(student.id) ? '哮喘' : null]);
      }
    }
  });

  it('shows the sensitive part on purpose exactly within the sensitive scope: 403 elsewhere in the student scope, 404 outside it', async () => {
    for (const [name, role] of actors()) {
      const actor = people.get(name)!;
      const readable = expected(READ_SCOPE[role].student, actor, records.student, 'one');
      const revealed = (ROLE_PERMISSIONS[role] as readonly string[]).includes('sensitive:read') ? expected(READ_SCOPE[role].sensitive, actor, records.student, 'one') : [];
      for (const student of records.student) {
        const response = await t.request('POST', `/api/students/${student.id}/sensitive-reads`, { as: actor, body: { reason: '核对病史，安排体检' } });
        const status = revealed.includes(student.id) ? 200 : readable.includes(student.id) ? 403 : 404;
        expect([name, student.id, response.status]).toEqual([name, student.id, status]);
        expect([name, student.id, response.body.values?.medicalHistory ?? null]).toEqual([name, student.id, status === 200 ? '哮喘' : null]);
      }
    }
  });
});

describe('visit statistics follow the plan’s read scope (D10)', () => {
  it('a college’s statistics exactly where its plan is readable (else 404); the school roll-up only for school-wide readers (else 403)', async () => {
    for (const [name, role] of actors()) {
      const actor = people.get(name)!;
      const allowed = (ROLE_PERMISSIONS[role] as readonly string[]).includes('visits:read');
      for (const college of ['A', 'B'] as const) {
        const response = await t.request('GET', `/api/visit-campaigns/${campaignId}/statistics?college=${college}`, { as: actor });
        const readable = expected(READ_SCOPE[role].visitPlan, actor, records.visitPlan.filter((p) => p.college === college), 'one').length === 1;
        expect([name, college, response.status]).toEqual([name, college, !allowed ? 403 : readable ? 200 : 404]);
      }
      const school = await t.request('GET', `/api/visit-campaigns/${campaignId}/statistics`, { as: actor });
      expect([name, school.status]).toEqual([name, allowed && READ_SCOPE[role].visitPlan === 'school' ? 200 : 403]);
    }
  });
});

describe('the README states the same table', () => {
  it('contains the read-scope table exactly as the policy has it', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(readScopeMarkdown());
  });
});
