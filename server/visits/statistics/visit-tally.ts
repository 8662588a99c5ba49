import { TARGET_TYPES, VISIT_KINDS, VISIT_MODES, VISITOR_ROLES, type VisitMode, type VisitorRole } from '../visit-vocabulary';

export type VisitKind = (typeof VISIT_KINDS)[number];
export type TargetType = (typeof TARGET_TYPES)[number];

/** What the statistics read of a report: the visit's facts, never its content. */
export interface CountedReport {
  student: { toString(): string };
  grade: string;
  major: string;
  mode: VisitMode;
  kind: VisitKind;
  targetType: TargetType;
  visitors: ReadonlyArray<{ role: VisitorRole }>;
  leaderVisit: boolean;
  unplanned: boolean;
}

/** The figures of 附件2 for one group of visits (a college, a grade and major, the school). */
export interface VisitCounts {
  /** 家访人次: submitted reports, one per visit. */
  visits: number;
  /** 家访学生数: distinct students among them. */
  students: number;
  byMode: Record<VisitMode, number>;
  byKind: Record<VisitKind, number>;
  byTarget: Record<TargetType, number>;
  /** 家访人员（人次）: a group visit of a counselor and two mentors counts one counselor and two mentors. */
  visitorsByRole: Record<VisitorRole, number>;
  /** Visits with a school leader among the visitors. */
  leaderVisits: number;
  /** Visits outside the approved plan. */
  unplanned: number;
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** Counts visits one at a time; distinct students by archive id. */
export class VisitTally {
  private readonly seen = new Set<string>();
  private readonly counts: VisitCounts = {
    visits: 0,
    students: 0,
    byMode: zeros(VISIT_MODES),
    byKind: zeros(VISIT_KINDS),
    byTarget: zeros(TARGET_TYPES),
    visitorsByRole: zeros(VISITOR_ROLES),
    leaderVisits: 0,
    unplanned: 0,
  };

  add(report: CountedReport): void {
    const c = this.counts;
    c.visits += 1;
    this.seen.add(String(report.student));
    c.byMode[report.mode] += 1;
    c.byKind[report.kind] += 1;
    c.byTarget[report.targetType] += 1;
    for (const visitor of report.visitors) c.visitorsByRole[visitor.role] += 1;
    if (report.leaderVisit) c.leaderVisits += 1;
    if (report.unplanned) c.unplanned += 1;
  }

  result(): VisitCounts {
    return { ...this.counts, students: this.seen.size, byMode: { ...this.counts.byMode }, byKind: { ...this.counts.byKind }, byTarget: { ...this.counts.byTarget }, visitorsByRole: { ...this.counts.visitorsByRole } };
  }
}

/**
 * Tallies per key (a grade, a major, a grade and major): every key of `enrolled` gets a row, even
 * without a visit, and a key seen only in reports (a graduate's old grade) gets one with 0 enrolled.
 */
export function tallyBy<R extends CountedReport>(reports: readonly R[], keyOf: (r: R) => string, enrolled: ReadonlyMap<string, number>) {
  const tallies = new Map<string, VisitTally>([...enrolled.keys()].map((k) => [k, new VisitTally()]));
  for (const report of reports) {
    const key = keyOf(report);
    if (!tallies.has(key)) tallies.set(key, new VisitTally());
    tallies.get(key)!.add(report);
  }
  return [...tallies.entries()].sort(([a], [b]) => a.localeCompare(b, 'zh-CN')).map(([key, tally]) => ({ key, enrolled: enrolled.get(key) ?? 0, ...tally.result() }));
}

export function tallyOf(reports: readonly CountedReport[]): VisitCounts {
  const tally = new VisitTally();
  for (const report of reports) tally.add(report);
  return tally.result();
}
