import type { AppConfig } from '../config/config';
import { academicYearRange } from '../calendar/academic-calendar';
import { isDuplicateKey } from '../db/duplicate-key';
import { listColleges } from '../colleges/colleges.service';
import { UserModel } from '../identity/user.model';
import type { StudentsService } from '../students/students.service';
import type { PlansService } from '../visits/plans.service';
import { DashboardRefreshClaimModel, DashboardSnapshotModel } from './dashboard-snapshot.model';
import { caseFigures, goodNewsFigures, studentFigures } from './figures';

export const SNAPSHOT_ID = 'school';
export type Snapshot = NonNullable<Awaited<ReturnType<typeof readSnapshot>>>;

export function readSnapshot() {
  return DashboardSnapshotModel.findById(SNAPSHOT_ID).lean();
}

/**
 * Recomputes the school's figures (a few aggregations over the whole archive: seconds on the embedded
 * engine at 40,000 students) and keeps them as one document, so that reading a dashboard is one read by
 * `_id`. Within a process one computation runs at a time and callers share it; across processes each
 * period is claimed by inserting its slot (unique `_id`), so several replicas compute once per period.
 */
export class DashboardRefresher {
  private running: Promise<Snapshot> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** How many computations this process has run (for tests and the bench). */
  computations = 0;

  constructor(
    private readonly students: StudentsService,
    private readonly plans: PlansService,
    private readonly config: Pick<AppConfig, 'contactIntervalDays' | 'dashboardRefreshMs'>,
  ) {}

  /** Computes now (or joins the computation under way) and answers the stored figures. */
  refresh(): Promise<Snapshot> {
    this.running ??= this.compute().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async compute(): Promise<Snapshot> {
    this.computations += 1;
    const started = Date.now();
    const now = new Date();
    const academicYear = this.students.currentYear(now);
    const { start } = academicYearRange(academicYear, this.students.calendar);
    // One after the other: on a single connection to the embedded engine, requests that arrive meanwhile
    // wait for one aggregation at most, not for all of them.
    const students = await studentFigures(academicYear, now, this.config.contactIntervalDays);
    const cases = await caseFigures(now);
    const goodNews = await goodNewsFigures(start);
    const coverage = await this.plans.coverageFigures();
    const colleges = await listColleges();
    const counselors = await UserModel.find({ role: 'counselor', active: true }).select('username displayName college').lean();
    const snapshot = {
      _id: SNAPSHOT_ID, computedAt: now, academicYear, yearStart: start, students, cases, goodNews, coverage,
      colleges: colleges.map((c) => ({ id: String(c._id), code: c.code, name: c.name })),
      counselors: counselors.map((u) => ({ id: String(u._id), username: u.username, name: u.displayName, college: u.college ? String(u.college) : '' })),
      computeMs: Date.now() - started,
    };
    await DashboardSnapshotModel.replaceOne({ _id: SNAPSHOT_ID }, snapshot, { upsert: true });
    return (await readSnapshot())!;
  }

  /** How long the last computation took: a period is never shorter than ten of them. */
  private lastComputeMs = 0;

  /** One period's turn: computes unless another process has claimed this period already. */
  async tick(now: Date = new Date()): Promise<boolean> {
    // Aggregating a large archive on the embedded engine takes tens of seconds; recomputing at least ten
    // computations apart keeps it from occupying the database more than a tenth of the time.
    const period = Math.max(this.config.dashboardRefreshMs, 10 * this.lastComputeMs);
    const slot = Math.floor(now.getTime() / period);
    try {
      await DashboardRefreshClaimModel.create({ _id: `slot:${period}:${slot}`, at: now });
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    const snapshot = await this.refresh();
    this.lastComputeMs = snapshot.computeMs ?? 0;
    await DashboardRefreshClaimModel.deleteMany({ at: { $lt: new Date(now.getTime() - 2 * period) } });
    return true;
  }

  start(onError: (error: unknown) => void): void {
    if (this.config.dashboardRefreshMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick().catch(onError), this.config.dashboardRefreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
