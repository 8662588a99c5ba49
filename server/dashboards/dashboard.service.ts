import { problems } from '../http/problem';
import type { Actor } from '../identity/actor';
import { isCollegeScoped } from '../identity/policy';
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

  /** What the reader asked for, within what they may see; names from the snapshot (no directory read). */
  private scopeFor(actor: Actor, query: DashboardQuery, snapshot: Snapshot): Scope {
    type Named = { id?: string | null; code?: string | null; username?: string | null; name?: string | null; college?: string | null };
    const colleges: Named[] = snapshot.colleges ?? [];
    const counselors: Named[] = snapshot.counselors ?? [];
    const notFound = () => problems.notFound('Dashboard', '看板');
    let college = query.college ? colleges.find((c) => c.id === query.college || c.code === query.college) : undefined;
    if (query.college && !college) throw notFound();
    let counselor = query.counselor ? counselors.find((c) => c.id === query.counselor || c.username === query.counselor) : undefined;
    if (query.counselor && !counselor) throw notFound();
    if (actor.role === 'counselor') {
      if (counselor && counselor.id !== String(actor.userId)) throw notFound();
      counselor = counselors.find((c) => c.id === String(actor.userId)) ?? { id: String(actor.userId), username: actor.username, name: actor.displayName, college: actor.college ? String(actor.college) : '' };
    }
    if (isCollegeScoped(actor)) {
      if (college && college.id !== String(actor.college)) throw notFound();
      college = colleges.find((c) => c.id === String(actor.college));
      if (!college) throw notFound();
    }
    if (counselor) {
      const own = colleges.find((c) => c.id === counselor!.college);
      if (college && own && own.id !== college.id) throw notFound();
      college = own ?? college;
    }
    const collegeRef = college ? { id: college.id!, code: college.code!, name: college.name! } : undefined;
    if (counselor) return { level: 'counselor', college: collegeRef, counselor: { id: counselor.id!, username: counselor.username!, name: counselor.name! } };
    if (college) return { level: 'college', college: collegeRef };
    return { level: 'school' };
  }

  async snapshot(): Promise<Snapshot> {
    return (await readSnapshot()) ?? this.refresher.refresh();
  }

  async view(actor: Actor, query: DashboardQuery) {
    const snapshot = await this.snapshot();
    const scope = this.scopeFor(actor, query, snapshot);
    const inCollege = <T extends { college?: string | null }>(c: T) => !scope.college || c.college === scope.college.id;
    const students = snapshot.students.filter((c) => inCollege(c) && (!scope.counselor || c.counselor === scope.counselor.id));
    const cases = snapshot.cases.filter((c) => inCollege(c) && (!scope.counselor || c.owner === scope.counselor.id));
    const goodNews = snapshot.goodNews.filter((c) => inCollege(c) && (!scope.counselor || c.owner === scope.counselor.id));
    const coverage = snapshot.coverage.filter(inCollege);
    return {
      computedAt: snapshot.computedAt,
      academicYear: snapshot.academicYear,
      yearStart: snapshot.yearStart ?? null,
      scope,
      figures: figuresOf(students, cases, goodNews),
      casesByCategory: CASE_CATEGORIES.map((category) => ({
        category,
        ages: Object.fromEntries(CASE_AGES.map((age) => [age.key, sum(cases.filter((c) => c.category === category && c.age === age.key), (c) => c.open)])),
        overdue: sum(cases.filter((c) => c.category === category), (c) => c.overdue),
      })),
      coverage: this.coverageByCampaign(coverage),
      breakdown: this.breakdown(scope, snapshot, students, cases, goodNews),
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
  private breakdown(scope: Scope, snapshot: Snapshot, students: StudentCell[], cases: CaseCell[], goodNews: GoodNewsCell[]) {
    if (scope.level === 'counselor') return [];
    const by = scope.level === 'school' ? 'college' : 'counselor';
    const keyOf = (c: { college?: string | null; counselor?: string | null; owner?: string | null }) => (by === 'college' ? c.college : (c.counselor ?? c.owner)) ?? '';
    const keys = new Set<string>([...students.map(keyOf), ...cases.map(keyOf), ...goodNews.map(keyOf)]);
    return [...keys].map((key) => {
      const person = by === 'counselor' && key ? snapshot.counselors?.find((c) => c.id === key) : undefined;
      const college = by === 'college' ? snapshot.colleges?.find((c) => c.id === key) : undefined;
      return {
        id: key || null,
        code: college?.code ?? person?.username ?? null,
        name: college?.name ?? person?.name ?? (by === 'counselor' ? (key ? '（已停用的辅导员）' : '（未分配辅导员）') : '（未知学院）'),
        ...figuresOf(students.filter((c) => keyOf(c) === key), cases.filter((c) => keyOf(c) === key), goodNews.filter((c) => keyOf(c) === key)),
      };
    }).sort((a, b) => b.overdue - a.overdue || String(a.code).localeCompare(String(b.code)));
  }
}

export type DashboardView = Awaited<ReturnType<DashboardService['view']>>;
