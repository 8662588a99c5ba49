import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import { APPROVER_ROLES, BREAKS, CAMPAIGN_STATES, DEPARTMENT_KINDS } from './visit-vocabulary';

const departmentSchema = new Schema({ kind: { type: String, enum: DEPARTMENT_KINDS, required: true }, name: { type: String, required: true } }, { _id: false });

/** A deadline moved for one college: who moved it, why, and until when (D1). The latest one for a college counts. */
const extensionSchema = new Schema(
  {
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    until: { type: Date, required: true },
    reason: { type: String, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    byName: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * A home-visit campaign of one break (D1), led by student affairs. Every change is a point update
 * conditional on `revision` (`updateOne({_id, revision})`), so two concurrent changes never both land.
 */
const campaignSchema = new Schema(
  {
    title: { type: String, required: true, trim: true },
    theme: { type: String, default: '' },
    notice: { type: String, default: '' },
    academicYear: { type: String, required: true },
    break: { type: String, enum: BREAKS, required: true },
    /** Calendar days (midnight UTC of the day, see academic-calendar `calendarDate`). */
    visitStartsOn: { type: Date, required: true },
    visitEndsOn: { type: Date, required: true },
    /** Instants: the plan (家访计划申报表) and the statistics table are due (seed 001: 29 Dec 12:00 Asia/Shanghai). */
    planDueAt: { type: Date, required: true },
    statisticsDueAt: { type: Date, required: true },
    materialsDueAt: { type: Date },
    departments: { type: [departmentSchema], default: [] },
    /** Participating colleges. */
    colleges: [{ type: Schema.Types.ObjectId, ref: 'College' }],
    /** Planned visits of distinct students per college, in basis points of its students (100 = 1%). */
    coverageBasisPoints: { type: Number, required: true, default: 100 },
    /** Whether school-leader visits count towards the college's coverage. */
    leaderVisitsCount: { type: Boolean, required: true, default: true },
    /** D7: fewest photos per visit mode (defaults from seed 001: on-site 4, online 2). */
    evidence: {
      onsite: { type: Number, required: true },
      video: { type: Number, required: true },
      phone: { type: Number, required: true },
    },
    approvalSteps: { type: [{ type: String, enum: APPROVER_ROLES }], default: () => [...APPROVER_ROLES] },
    extensions: { type: [extensionSchema], default: [] },
    state: { type: String, enum: CAMPAIGN_STATES, required: true, default: 'draft' },
    revision: { type: Number, required: true, default: 1 },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    openedAt: { type: Date },
    closedAt: { type: Date },
  },
  { timestamps: true },
);
campaignSchema.index({ state: 1, planDueAt: 1 });
// The campaigns before one (revisit candidates, D8).
campaignSchema.index({ visitStartsOn: 1 });
campaignSchema.plugin(auditWrites, { resourceType: 'visitCampaign' });

export type Campaign = InferSchemaType<typeof campaignSchema>;
export const CampaignModel = model('VisitCampaign', campaignSchema);
