import type { Types } from 'mongoose';
import { isDuplicateKey } from '../db/duplicate-key';
import type { Actor } from '../identity/actor';
import { VisitRevisionConflict } from './campaign-errors';
import { PlanRevisionModel, planRevisionId, type PlanAction } from './plan-revision.model';
import { VisitPlanModel } from './visit-plan.model';
import type { PlanState } from './visit-vocabulary';

/** A claim whose plan write never landed (the writer died in between) is given up after this long. */
const ORPHANED_CLAIM_MS = 60_000;

export interface PlanWrite {
  id: string;
  campaign: Types.ObjectId;
  college: Types.ObjectId;
  /** The revision the change was decided on; 0 for a new plan. */
  revision: number;
  action: PlanAction;
  from: PlanState | 'new';
  to: PlanState;
  step?: number;
  role?: string;
  reason?: string;
  /** The fields to set (the whole plan for a new one). */
  set: Record<string, unknown>;
}

function claimRecord(actor: Actor, write: PlanWrite, revision: number, at: Date) {
  return {
    _id: planRevisionId(write.id, revision),
    plan: write.id,
    campaign: write.campaign,
    college: write.college,
    revision,
    action: write.action,
    from: write.from,
    to: write.to,
    step: write.step,
    role: write.role,
    reason: write.reason,
    at,
    by: { userId: actor.userId, username: actor.username, displayName: actor.displayName },
  };
}

async function releaseOrphanedClaim(id: string, revision: number): Promise<boolean> {
  const claim = await PlanRevisionModel.findById(planRevisionId(id, revision)).select('at').lean();
  if (!claim || Date.now() - claim.at.getTime() < ORPHANED_CLAIM_MS) return false;
  const current = await VisitPlanModel.findById(id).select('revision').lean();
  if ((current?.revision ?? 0) >= revision) return false;
  await PlanRevisionModel.deleteOne({ _id: claim._id });
  return true;
}

/**
 * The one way a visit plan changes. The next revision is claimed by inserting its history record under
 * the unique `_id` `<plan>:<revision>`: of two writers that read the same revision (two approvers at once,
 * two filings of a new plan) exactly one claims it and the other is answered 409 `REVISION_CONFLICT`,
 * with nothing of its change written. The plan is then created under its own unique `_id`, or updated by
 * `_id` and revision (`updateOne({_id, revision})`).
 */
export async function commitPlanWrite(actor: Actor, write: PlanWrite, at: Date = new Date()): Promise<number> {
  const revision = write.revision + 1;
  try {
    await PlanRevisionModel.create(claimRecord(actor, write, revision, at));
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    if (!(await releaseOrphanedClaim(write.id, revision))) throw new VisitRevisionConflict('plan', write.revision);
    await PlanRevisionModel.create(claimRecord(actor, write, revision, at));
  }
  try {
    if (write.revision === 0) {
      await VisitPlanModel.create({ _id: write.id, campaign: write.campaign, college: write.college, createdBy: actor.userId, ...write.set, revision });
    } else {
      const result = await VisitPlanModel.updateOne({ _id: write.id, revision: write.revision }, { $set: { ...write.set, revision } });
      if (result.matchedCount === 0) throw new VisitRevisionConflict('plan', write.revision);
    }
  } catch (error) {
    await PlanRevisionModel.deleteOne({ _id: planRevisionId(write.id, revision) }).catch(() => undefined);
    if (isDuplicateKey(error)) throw new VisitRevisionConflict('plan', write.revision);
    throw error;
  }
  return revision;
}
