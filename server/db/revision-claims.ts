import { Schema, model, type Model, type Types } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import type { ApiError } from '../http/problem';
import type { Actor } from '../identity/actor';
import { isDuplicateKey } from './duplicate-key';

/** A claim whose record write never landed (the writer died in between) is given up after this long. */
const ORPHANED_CLAIM_MS = 60_000;

export interface RevisionClaim {
  _id: string;
  target: string;
  college: Types.ObjectId;
  revision: number;
  action: string;
  at: Date;
  by: { userId: Types.ObjectId; username: string; displayName?: string };
}

/**
 * The history of one kind of record, one entry per change: who, when, which action. Its `_id`
 * `<record>:<revision>` is the claim on that revision (see `commitClaimedWrite`).
 */
export function revisionClaimModel(name: string, resourceType: string, actions: readonly string[]): Model<RevisionClaim> {
  const schema = new Schema<RevisionClaim>({
    _id: { type: String, required: true },
    target: { type: String, required: true },
    college: { type: Schema.Types.ObjectId, required: true },
    revision: { type: Number, required: true },
    action: { type: String, enum: actions, required: true },
    at: { type: Date, required: true },
    by: { userId: { type: Schema.Types.ObjectId, required: true }, username: { type: String, required: true }, displayName: { type: String } },
  });
  schema.plugin(auditWrites, { resourceType });
  return model<RevisionClaim>(name, schema);
}

export interface ClaimedWrite {
  id: string;
  college: Types.ObjectId;
  /** The revision the change was decided on; 0 for a record not yet stored. */
  revision: number;
  action: string;
  /** The fields to set (the whole record when it is created). */
  set: Record<string, unknown>;
}

/**
 * The one way such a record changes. The next revision is claimed by inserting `<record>:<revision>`
 * into the claims: of two writers that read the same revision exactly one claims it, the other is
 * answered `conflict()` with nothing of its change written. The record is then created under its own
 * `_id` (revision 0) or updated by `_id` and revision. Unique `_id`s decide it on any engine and pool size.
 */
export async function commitClaimedWrite(claims: Model<RevisionClaim>, target: Model<never>, actor: Actor, write: ClaimedWrite, conflict: () => ApiError, at: Date = new Date()): Promise<number> {
  const revision = write.revision + 1;
  const claim = { _id: `${write.id}:${revision}`, target: write.id, college: write.college, revision, action: write.action, at, by: { userId: actor.userId, username: actor.username, displayName: actor.displayName } };
  try {
    await claims.create(claim);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    if (!(await releaseOrphanedClaim(claims, target, claim._id, write.id, revision))) throw conflict();
    await claims.create(claim);
  }
  try {
    if (write.revision === 0) {
      await target.create({ _id: write.id, ...write.set, revision } as never);
    } else {
      const result = await target.updateOne({ _id: write.id, revision: write.revision } as never, { $set: { ...write.set, revision } } as never);
      if (result.matchedCount === 0) throw conflict();
    }
  } catch (error) {
    await claims.deleteOne({ _id: claim._id }).catch(() => undefined);
    if (isDuplicateKey(error)) throw conflict();
    throw error;
  }
  return revision;
}

async function releaseOrphanedClaim(claims: Model<RevisionClaim>, target: Model<never>, claimId: string, id: string, revision: number): Promise<boolean> {
  const claim = await claims.findById(claimId).select('at').lean();
  if (!claim || Date.now() - claim.at.getTime() < ORPHANED_CLAIM_MS) return false;
  const current = (await target.findById(id).select('revision').lean()) as { revision?: number } | null;
  if ((current?.revision ?? 0) >= revision) return false;
  await claims.deleteOne({ _id: claimId });
  return true;
}
