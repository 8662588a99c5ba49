import { collegeDirectory } from '../colleges/colleges.service';
import { problems } from '../http/problem';
import type { Actor } from '../identity/actor';
import { isCollegeScoped } from '../identity/policy';
import { staffDirectory } from '../identity/staff-directory';
import { CARE_TIERS } from '../students/student.model';
import { CASE_CATEGORIES } from '../liaison/key-case.model';
import { CASE_AGES } from './figures';
import { readSnapshot, type DashboardRefresher, type Snapshot } from './dashboard-refresher';

export type DashboardLevel = 'school' | 'college' | 'counselor';

export interface DashboardQuery {
  college?: string;
  counselor?: string;
}

interface Scope {
  level: DashboardLevel;
  college?: { id: string; code: string; name: string };
  counselor?: { id: string; username: string; name: string };
}

type StudentCell = Snapshot['students'][number];
type CaseCell = Snapshot['cases'][number];
type GoodNewsCell = Snapshot['goodNews'][number];

const sum = <T>(cells: T[], pick: (c: T) => number | null | undefined) => cells.reduce((total, c) => total + (pick(c) ?? 0), 0);

/** The figures of some cells: what a tile, a row of the breakdown and the export all show. */
function figuresOf(students: StudentCell[], cases: CaseCell[], goodNews: GoodNewsCell[]) {
  return {
    students: sum(students, (c) => c.students),
    stale: sum(students, (c) => c.stale),
    overdue: sum(students, (c) => c.overdue),
    overdueByTier: Object.fromEntries(CARE_TIERS.map((tier) => [tier, sum(students.filter((c) => c.careTier === tier), (c) => c.overdue)])) as Record<(typeof CARE_TIERS)[number], number>,
    casesOpen: sum(cases, (c) => c.open),
    casesOverdue: sum(cases, (c) => c.overdue),
    goodNews: sum(goodNews, (c) => c.letters),
    goodNewsDelivered: sum(goodNews, (c) => c.delivered),
  };
}

/**
 * F1: the dashboard of a counselor, a college or the school, cut from the school's stored figures (one
 * read by `_id`) to what the reader may see: a counselor their own students, a college leader their
 * college and its counselors, school-wide roles the school, any college or any counselor.
 */
export class DashboardService {
  constructor(private readonly refresher: DashboardRefresher) {}

  private async scopeFor(actor: Actor, query: DashboardQuery): Promise<Scope> {
    const [colleges, staff] = await Promise.all([collegeDirectory(), staffDirectory()]);
    const notFound = () => problems.notFound('Dashboard', '看板');
    let college = query.college ? colleges.get(query.college) : undefined;
    if (query.college && !college) throw notFound();
    let counselor = query.counselor ? staff.get(query.counselor) : undefined;
    if (query.counselor && (!counselor || counselor.role !== 'counselor')) throw notFound();
    if (actor.role === 'counselor') {
      if (counselor && !counselor._id.equals(actor.userId)) throw notFound();
      counselor = staff.get(String(actor.userId));
    }
    if (isCollegeScoped(actor)) {
      if (college && (!actor.college || !college._id.equals(actor.college))) throw notFound();
      college = actor.college ? colleges.get(String(actor.college)) : undefined;
      if (!college) throw notFound();
    }
    if (counselor) {
      const own = counselor.college ? colleges.get(String(counselor.college)) : undefined;
      if (college && own && !own._id.equals(college._id)) throw notFound();
      college = own ?? college;
    }
    const collegeRef = college ? { id: String(college._id), code: college.code, name: college.name } : undefined;
    if (counselor) return { level: 'counselor', college: collegeRef, counselor: { id: String(counselor._id), username: counselor.username, name: counselor.displayName } };
    if (college) return { level: 'college', college: collegeRef };
    return { level: 'school' };
  }

  async snapshot(): Promise<Snapshot> {
    return (await readSnapshot()) ?? this.refresher.refresh();
  }

  async view(actor: Actor, query: DashboardQuery) {
    const [scope, snapshot] = await Promise.all([this.scopeFor(actor, query), this.snapshot()]);
    const inCollege = <T extends { college?: string | null }>(c: T) => !scope.college || c.college === scope.college.id;
    const students = snapshot.students.filter((c) => inCollege(c) && (!scope.counselor || c.counselor === scope.counselor.id));
    const cases = snapshot.cases.filter((c) => inCollege(c) && (!scope.counselor || c.owner === scope.counselor.id));
    const goodNews = snapshot.goodNews.filter((c) => inCollege(c) && (!scope.counselor || c.owner === scope.counselor.id));
    const coverage = snapshot.coverage.filter(inCollege);
    return {
      computedAt: snapshot.computedAt,
      academicYear: snapshot.academicYear,
      scope,
      figures: figuresOf(students, cases, goodNews),
      casesByCategory: CASE_CATEGORIES.map((category) => ({
        category,
        ages: Object.fromEntries(CASE_AGES.map((age) => [age.key, sum(cases.filter((c) => c.category === category && c.age === age.key), (c) => c.open)])),
        overdue: sum(cases.filter((c) => c.category === category), (c) => c.overdue),
      })),
      coverage: this.coverageByCampaign(coverage),
      breakdown: await this.breakdown(scope, students, cases, goodNews),
    };
  }

  private coverageByCampaign(rows: Array<Snapshot['coverage'][number]>) {
    const campaigns = new Map<string, { campaign: string; title: string; enrolled: number; required: number; planned: number; colleges: number; approved: number }>();
    for (const r of rows) {
      const c = campaigns.get(r.campaign!) ?? { campaign: r.campaign!, title: r.title!, enrolled: 0, required: 0, planned: 0, colleges: 0, approved: 0 };
      c.enrolled += r.enrolled ?? 0;
      c.required += r.required ?? 0;
      c.planned += r.planned ?? 0;
      c.colleges += 1;
      c.approved += r.approved ? 1 : 0;
      campaigns.set(c.campaign, c);
    }
    return [...campaigns.values()];
  }

  /** The rows one level down: the school's colleges, a college's counselors. */
  private async breakdown(scope: Scope, students: StudentCell[], cases: CaseCell[], goodNews: GoodNewsCell[]) {
    if (scope.level === 'counselor') return [];
    const by = scope.level === 'school' ? 'college' : 'counselor';
    const keyOf = (c: { college?: string | null; counselor?: string | null; owner?: string | null }) => (by === 'college' ? c.college : (c.counselor ?? c.owner)) ?? '';
    const keys = new Set<string>([...students.map(keyOf), ...cases.map(keyOf), ...goodNews.map(keyOf)]);
    const [colleges, staff] = await Promise.all([collegeDirectory(), staffDirectory()]);
    return [...keys].map((key) => {
      const person = by === 'counselor' && key ? staff.get(key) : undefined;
      const college = by === 'college' ? colleges.get(key) : undefined;
      return {
        id: key || null,
        code: college?.code ?? person?.username ?? null,
        name: college?.name ?? person?.displayName ?? (by === 'counselor' ? '（未分配辅导员）' : '（未知学院）'),
        ...figuresOf(students.filter((c) => keyOf(c) === key), cases.filter((c) => keyOf(c) === key), goodNews.filter((c) => keyOf(c) === key)),
      };
    }).sort((a, b) => b.overdue - a.overdue || String(a.code).localeCompare(String(b.code)));
  }
}

export type DashboardView = Awaited<ReturnType<DashboardService['view']>>;
