import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import { revisionClaimModel } from '../db/revision-claims';
import { ACTIVITY_KINDS, EMPLOYMENTS, GROUP_STATES, MEMBER_ROLES, NEED_AREAS, OUTCOMES } from './mentoring-vocabulary';

const memberSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    name: { type: String, required: true },
    email: { type: String },
    college: { type: Schema.Types.ObjectId, ref: 'College' },
    employment: { type: String, enum: EMPLOYMENTS, required: true },
    role: { type: String, enum: MEMBER_ROLES, required: true },
    since: { type: Date, required: true },
  },
  { _id: false },
);

const historySchema = new Schema(
  {
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    byName: { type: String, required: true },
    change: { type: String, enum: ['added', 'removed', 'leader'], required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    name: { type: String, required: true },
    reason: { type: String, default: '' },
  },
  { _id: false },
);

/**
 * A mentoring group (C1–C2): 3–5 teachers, one of them the leader, supporting one special student in the
 * five areas until the student is employed. Proposed by the college, started when its leader approves,
 * closed with an outcome; the activity log (mentoring-activity.model.ts) stays after closing. The student's
 * name, number, major and grade are kept as they were at the proposal, for lists without a read of archives.
 */
const mentoringGroupSchema = new Schema(
  {
    state: { type: String, enum: GROUP_STATES, required: true },
    student: { type: Schema.Types.ObjectId, ref: 'Student', required: true },
    studentName: { type: String, required: true },
    studentNo: { type: String, required: true },
    major: { type: String, default: '' },
    grade: { type: String, default: '' },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    needs: { type: [new Schema({ area: { type: String, enum: NEED_AREAS, required: true }, note: { type: String, default: '' } }, { _id: false })], default: [] },
    plan: { type: String, default: '' },
    members: { type: [memberSchema], default: [] },
    memberHistory: { type: [historySchema], default: [] },
    proposedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    proposedByName: { type: String, required: true },
    proposedAt: { type: Date, required: true },
    approvedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    approvedByName: { type: String },
    approvedAt: { type: Date },
    rejection: { reason: { type: String }, by: { type: Schema.Types.ObjectId, ref: 'User' }, byName: { type: String }, at: { type: Date } },
    /** The latest activity's moment (or the approval): only ever raised (`$max`), so a late entry never lowers it. */
    lastActivityAt: { type: Date },
    activityCount: { type: Number, default: 0 },
    outcome: {
      kind: { type: String, enum: OUTCOMES },
      employer: { type: String },
      date: { type: Date },
      reason: { type: String },
      note: { type: String },
    },
    closedAt: { type: Date },
    closedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    revision: { type: Number, required: true, default: 1 },
  },
  { timestamps: true, minimize: false },
);
// Every list filter has its index: a college's groups by state, a member's groups, a student's groups,
// silent active groups (the sweep, the inactive list), the proposer's, and the report's date ranges.
mentoringGroupSchema.index({ college: 1, state: 1 });
mentoringGroupSchema.index({ 'members.user': 1, state: 1 });
mentoringGroupSchema.index({ student: 1 });
mentoringGroupSchema.index({ state: 1, lastActivityAt: 1 });
mentoringGroupSchema.index({ proposedBy: 1 });
mentoringGroupSchema.index({ proposedAt: 1 });
mentoringGroupSchema.index({ approvedAt: 1 });
mentoringGroupSchema.index({ closedAt: 1 });
mentoringGroupSchema.plugin(auditWrites, { resourceType: 'mentoringGroup' });

export type MentoringGroup = InferSchemaType<typeof mentoringGroupSchema>;
export type MentoringGroupRecord = MentoringGroup & { _id: Types.ObjectId };
export const MentoringGroupModel = model('MentoringGroup', mentoringGroupSchema);

/** The history of each group's changes; `<group>:<revision>` claims that revision (see commitClaimedWrite). */
export const MentoringGroupRevisionModel = revisionClaimModel('MentoringGroupRevision', 'mentoringGroupRevision', ['propose', 'approve', 'reject', 'members', 'close']);

/** One meeting or action of a group (C2): who, when, which of the five areas, what was done, the next step. */
const mentoringActivitySchema = new Schema(
  {
    group: { type: Schema.Types.ObjectId, ref: 'MentoringGroup', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    at: { type: Date, required: true },
    kind: { type: String, enum: ACTIVITY_KINDS, required: true },
    areas: { type: [{ type: String, enum: NEED_AREAS }], default: [] },
    summary: { type: String, required: true },
    nextStep: { type: String, default: '' },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    byName: { type: String, required: true },
  },
  { timestamps: true },
);
mentoringActivitySchema.index({ group: 1, _id: -1 });
mentoringActivitySchema.index({ at: 1 });
mentoringActivitySchema.plugin(auditWrites, { resourceType: 'mentoringActivity' });

export type MentoringActivity = InferSchemaType<typeof mentoringActivitySchema>;
export type MentoringActivityRecord = MentoringActivity & { _id: Types.ObjectId; createdAt: Date };
export const MentoringActivityModel = model('MentoringActivity', mentoringActivitySchema);
