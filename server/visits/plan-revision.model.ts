import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import { PLAN_STATES } from './visit-vocabulary';

export const PLAN_ACTIONS = ['save', 'submit', 'approve', 'return'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

/**
 * One change of a visit plan: who, when, which transition, the return reason. Its `_id`
 * `<plan id>:<revision>` is the claim on that revision: of two writers that read the same revision
 * (two approvers at once) only one can insert it; the other is answered 409.
 */
const planRevisionSchema = new Schema({
  _id: { type: String, required: true },
  plan: { type: String, required: true },
  campaign: { type: Schema.Types.ObjectId, required: true },
  college: { type: Schema.Types.ObjectId, required: true },
  revision: { type: Number, required: true },
  action: { type: String, enum: PLAN_ACTIONS, required: true },
  from: { type: String, enum: [...PLAN_STATES, 'new'], required: true },
  to: { type: String, enum: PLAN_STATES, required: true },
  step: { type: Number },
  role: { type: String },
  reason: { type: String },
  at: { type: Date, required: true },
  by: { userId: { type: Schema.Types.ObjectId, required: true }, username: { type: String, required: true }, displayName: { type: String } },
});
planRevisionSchema.index({ plan: 1, revision: 1 });
planRevisionSchema.plugin(auditWrites, { resourceType: 'visitPlanRevision' });

export type PlanRevision = InferSchemaType<typeof planRevisionSchema>;
export const PlanRevisionModel = model('VisitPlanRevision', planRevisionSchema);

export function planRevisionId(plan: string, revision: number): string {
  return `${plan}:${revision}`;
}
