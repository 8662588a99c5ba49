import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import { APPROVER_ROLES, PLAN_STATES, TARGET_TYPES, VISIT_KINDS, VISIT_MODES, VISITOR_ROLES } from './visit-vocabulary';

/** One visitor of a visit (a planned entry, a report): a member of staff, or someone named. */
export const visitorSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User' },
    name: { type: String, required: true },
    role: { type: String, enum: VISITOR_ROLES, required: true },
  },
  { _id: false },
);

/**
 * One planned visit. `id` is stable for the life of the plan (kept through edits, amendments and
 * approvals), so that visit reports can name the approved entry they report on.
 */
const entrySchema = new Schema(
  {
    id: { type: String, required: true },
    student: { type: Schema.Types.ObjectId, ref: 'Student', required: true },
    studentNo: { type: String, required: true },
    studentName: { type: String, required: true },
    grade: { type: String, required: true },
    major: { type: String, required: true },
    className: { type: String, default: '' },
    targetType: { type: String, enum: TARGET_TYPES, required: true },
    mode: { type: String, enum: VISIT_MODES, required: true },
    kind: { type: String, enum: VISIT_KINDS, required: true },
    visitors: { type: [visitorSchema], default: [] },
    /** A school leader is among the visitors: shown and counted separately. */
    leaderVisit: { type: Boolean, required: true },
    plannedOn: { type: Date },
    note: { type: String, default: '' },
  },
  { _id: false },
);

/** 组织安排, 时间安排, 安全预案 and anything else of the implementation plan (实施方案). */
const implementationSchema = new Schema(
  {
    organization: { type: String, default: '' },
    schedule: { type: String, default: '' },
    safety: { type: String, default: '' },
    other: { type: String, default: '' },
  },
  { _id: false },
);

const approvalSchema = new Schema(
  {
    step: { type: Number, required: true },
    role: { type: String, enum: APPROVER_ROLES, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    byName: { type: String, required: true },
    at: { type: Date, required: true },
    /** The account that recorded a decision made outside the service (an n8n approval message), if any. */
    relayedBy: { type: String },
  },
  { _id: false },
);

/**
 * A college's visit plan for one campaign (D5, 附件1 家访计划申报表). Its `_id` is
 * `<campaign id>:<college id>`: one plan per college and campaign, decided by the unique `_id` even when
 * two filings race. Every change claims the next revision in `visitplanrevisions` first (see plan-writer).
 */
const visitPlanSchema = new Schema(
  {
    _id: { type: String, required: true },
    campaign: { type: Schema.Types.ObjectId, ref: 'VisitCampaign', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    state: { type: String, enum: PLAN_STATES, required: true, default: 'draft' },
    revision: { type: Number, required: true },
    /** While submitted: the index in the campaign's approval steps of the step now due. */
    step: { type: Number, required: true, default: 0 },
    entries: { type: [entrySchema], default: [] },
    implementation: { type: implementationSchema, default: () => ({}) },
    /** The approvals of the current round (cleared when the plan is submitted again). */
    approvals: { type: [approvalSchema], default: [] },
    /** The version last approved: stays readable (and is what visits report against) while an amendment is under way. */
    approved: {
      type: new Schema(
        {
          revision: { type: Number, required: true },
          at: { type: Date, required: true },
          entries: { type: [entrySchema], default: [] },
          implementation: { type: implementationSchema, default: () => ({}) },
          approvals: { type: [approvalSchema], default: [] },
        },
        { _id: false },
      ),
      default: null,
    },
    lastReturn: {
      type: new Schema({ reason: { type: String, required: true }, role: { type: String, required: true }, by: { type: Schema.Types.ObjectId, required: true }, byName: { type: String, required: true }, at: { type: Date, required: true } }, { _id: false }),
      default: null,
    },
    firstSubmittedAt: { type: Date },
    submittedAt: { type: Date },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true, minimize: false },
);
visitPlanSchema.index({ campaign: 1, college: 1 });
visitPlanSchema.index({ campaign: 1, state: 1 });
visitPlanSchema.plugin(auditWrites, { resourceType: 'visitPlan' });

export type VisitPlan = InferSchemaType<typeof visitPlanSchema>;
export type PlanEntry = InferSchemaType<typeof entrySchema>;
export type Implementation = InferSchemaType<typeof implementationSchema>;
export const VisitPlanModel = model('VisitPlan', visitPlanSchema);

export function planId(campaign: Types.ObjectId | string, college: Types.ObjectId | string): string {
  return `${String(campaign)}:${String(college)}`;
}
