import type { AppConfig } from '../config/config';
import { academicYearRange } from '../calendar/academic-calendar';
import { isDuplicateKey } from '../db/duplicate-key';
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
    const [students, cases, goodNews, coverage] = await Promise.all([
      studentFigures(academicYear, now, this.config.contactIntervalDays),
      caseFigures(now),
      goodNewsFigures(start),
      this.plans.coverageFigures(),
    ]);
    const snapshot = { _id: SNAPSHOT_ID, computedAt: now, academicYear, students, cases, goodNews, coverage, computeMs: Date.now() - started };
    await DashboardSnapshotModel.replaceOne({ _id: SNAPSHOT_ID }, snapshot, { upsert: true });
    return (await readSnapshot())!;
  }

  /** One period's turn: computes unless another process has claimed this period already. */
  async tick(now: Date = new Date()): Promise<boolean> {
    const period = this.config.dashboardRefreshMs;
    const slot = Math.floor(now.getTime() / period);
    try {
      await DashboardRefreshClaimModel.create({ _id: `slot:${slot}`, at: now });
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    await this.refresh();
    await DashboardRefreshClaimModel.deleteOne({ _id: `slot:${slot - 1}` });
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
