import { Schema, model } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

export type CaseMilestone = 'escalated' | 'closed';

/**
 * A step that may happen to a case only once (escalation, closing). Taking it is an insert whose `_id`
 * is `<case id>:<milestone>`: of two overlapping runs exactly one insert succeeds, on FerretDB too,
 * where a conditional update (`{_id, escalatedAt: null}`) would let both runs through. The escalation
 * milestone is also where a case's `escalatedAt` is read from.
 */
const caseMilestoneSchema = new Schema(
  {
    _id: { type: String, required: true },
    case: { type: Schema.Types.ObjectId, ref: 'KeyCase', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { timestamps: true },
);
caseMilestoneSchema.index({ case: 1 });
caseMilestoneSchema.plugin(auditWrites, { resourceType: 'caseMilestone' });

export const CaseMilestoneModel = model('CaseMilestone', caseMilestoneSchema);

export function milestoneId(caseId: { toString(): string }, milestone: CaseMilestone): string {
  return `${caseId.toString()}:${milestone}`;
}
