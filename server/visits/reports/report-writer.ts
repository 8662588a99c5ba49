import { isDuplicateKey } from '../../db/duplicate-key';
import { ApiError } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { field } from '../campaign-errors';
import { VisitReportModel, VisitReportRevisionModel, reportRevisionId, type ReportAction } from './visit-report.model';

/** A claim whose report write never landed (the writer died in between) is given up after this long. */
const ORPHANED_CLAIM_MS = 60_000;

/** A change made from an older revision of a report (another writer got there first). */
export class ReportRevisionConflict extends ApiError {
  constructor(
    expected: number,
    /** The action of the change that took the revision, when known. */
    readonly takenBy?: ReportAction,
  ) {
    super(409, 'REVISION_CONFLICT', `The visit report was changed by someone else after revision ${expected}; reload it and try again`, `家访报告在版本 ${expected} 之后已被他人修改，请刷新后重试`, [
      field('revision', `家访报告已更新，当前版本不是 ${expected}`, `the report is no longer at revision ${expected}`, 'revision'),
    ]);
  }
}

export interface ReportWrite {
  id: string;
  college: import('mongoose').Types.ObjectId;
  /** The revision the change was decided on. */
  revision: number;
  action: ReportAction;
  version?: number;
  set: Record<string, unknown>;
}

function claimRecord(actor: Actor, write: ReportWrite, revision: number, at: Date) {
  return {
    _id: reportRevisionId(write.id, revision), report: write.id, college: write.college, revision, action: write.action, version: write.version, at,
    by: { userId: actor.userId, username: actor.username, displayName: actor.displayName },
  };
}

async function releaseOrphanedClaim(id: string, revision: number): Promise<boolean> {
  const claim = await VisitReportRevisionModel.findById(reportRevisionId(id, revision)).select('at').lean();
  if (!claim || Date.now() - claim.at.getTime() < ORPHANED_CLAIM_MS) return false;
  const current = await VisitReportModel.findById(id).select('revision').lean();
  if ((current?.revision ?? 0) >= revision) return false;
  await VisitReportRevisionModel.deleteOne({ _id: claim._id });
  return true;
}

/** The first revision of a new report (its start), kept in the history like every later one. */
export async function recordStart(actor: Actor, id: string, college: import('mongoose').Types.ObjectId, at: Date = new Date()): Promise<void> {
  await VisitReportRevisionModel.create(claimRecord(actor, { id, college, revision: 0, action: 'start', set: {} }, 1, at)).catch((error: unknown) => {
    if (!isDuplicateKey(error)) throw error;
  });
}

/**
 * The one way a report changes. The next revision is claimed by inserting `<report>:<revision>` into
 * `visitreportrevisions`: of two writers from one revision exactly one claims it, the other is answered
 * 409 `REVISION_CONFLICT` (carrying what took the revision, so that a second submission of the same draft
 * can answer the first one's result). The report is then updated by `_id` and revision.
 */
export async function commitReportWrite(actor: Actor, write: ReportWrite, at: Date = new Date()): Promise<number> {
  const revision = write.revision + 1;
  try {
    await VisitReportRevisionModel.create(claimRecord(actor, write, revision, at));
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    if (!(await releaseOrphanedClaim(write.id, revision))) {
      const taken = await VisitReportRevisionModel.findById(reportRevisionId(write.id, revision)).select('action').lean();
      throw new ReportRevisionConflict(write.revision, taken?.action as ReportAction | undefined);
    }
    await VisitReportRevisionModel.create(claimRecord(actor, write, revision, at));
  }
  try {
    const result = await VisitReportModel.updateOne({ _id: write.id, revision: write.revision }, { $set: { ...write.set, revision, updatedAt: at } }, { timestamps: false });
    if (result.matchedCount === 0) throw new ReportRevisionConflict(write.revision);
  } catch (error) {
    await VisitReportRevisionModel.deleteOne({ _id: reportRevisionId(write.id, revision) }).catch(() => undefined);
    throw error;
  }
  return revision;
}
