import { Schema, model, type Types } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import { isDuplicateKey } from '../db/duplicate-key';

/**
 * "One proposed or active group per student" (C1), decided in the database: proposing inserts a claim
 * under the student's id (`_id`, unique on every engine), rejecting or closing the group deletes it. Of two
 * proposals for the same student made at the same moment exactly one inserts it.
 */
const studentClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    group: { type: Schema.Types.ObjectId, ref: 'MentoringGroup', required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
studentClaimSchema.plugin(auditWrites, { resourceType: 'mentoringStudentClaim' });
export const MentoringStudentClaimModel = model('MentoringStudentClaim', studentClaimSchema);

/** True when the claim was inserted for this group; false when the student is held by another group. */
export async function claimStudent(student: Types.ObjectId, group: Types.ObjectId, at: Date): Promise<boolean> {
  try {
    await MentoringStudentClaimModel.create({ _id: String(student), group, at });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export async function studentClaim(student: Types.ObjectId): Promise<{ group: Types.ObjectId; at: Date } | null> {
  return MentoringStudentClaimModel.findById(String(student)).lean<{ group: Types.ObjectId; at: Date } | null>();
}

/**
 * Releases the student, only from this group: the group is part of the delete, so a claim another proposal
 * took meanwhile (after a stale claim was given up) is never taken.
 */
export async function releaseStudent(student: Types.ObjectId, group: Types.ObjectId): Promise<void> {
  await MentoringStudentClaimModel.deleteOne({ _id: String(student), group });
}

/**
 * A silent stretch of a group, announced once: `<group>:<lastActivityAt ms>`. A new activity raises
 * lastActivityAt, so the next silence is a new stretch with a new claim.
 */
const inactivityClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    group: { type: Schema.Types.ObjectId, ref: 'MentoringGroup', required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
inactivityClaimSchema.plugin(auditWrites, { resourceType: 'mentoringInactivityClaim' });
export const MentoringInactivityClaimModel = model('MentoringInactivityClaim', inactivityClaimSchema);

export async function claimSilentStretch(group: Types.ObjectId, lastActivityAt: Date, at: Date): Promise<boolean> {
  try {
    await MentoringInactivityClaimModel.create({ _id: `${String(group)}:${lastActivityAt.getTime()}`, group, at });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}
