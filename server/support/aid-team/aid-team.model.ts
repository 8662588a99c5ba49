import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../../audit/audit-writes.plugin';
import { AID_ACTIVITY_KINDS, AID_ROLES } from '../support-vocabulary';

/** A student's time on the aid service team (E1): from `from` until ended (`to`, `active: false`). */
const aidMemberSchema = new Schema(
  {
    student: { type: Schema.Types.ObjectId, ref: 'Student', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    /** Who the student is, as recorded when they joined (lists and summaries need no look-up per row). */
    studentNo: { type: String, required: true },
    studentName: { type: String, required: true },
    major: { type: String },
    grade: { type: String },
    role: { type: String, enum: AID_ROLES, required: true },
    from: { type: Date, required: true },
    to: { type: Date },
    active: { type: Boolean, required: true, default: true },
    endReason: { type: String },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true },
);
// Lists: by college and state, paged by _id.
aidMemberSchema.index({ college: 1, active: 1, _id: 1 });
aidMemberSchema.index({ active: 1, _id: 1 });
aidMemberSchema.index({ student: 1 });
aidMemberSchema.plugin(auditWrites, { resourceType: 'aidTeamMember' });
export type AidMember = InferSchemaType<typeof aidMemberSchema>;
export const AidMemberModel = model('AidTeamMember', aidMemberSchema);

/**
 * "One current membership per student", decided by the database: a claim under `_id = student id` is
 * inserted before the membership is stored and deleted when it ends. Of two parallel requests one inserts it.
 */
const aidMembershipClaimSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    member: { type: Schema.Types.ObjectId, required: true },
    college: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
aidMembershipClaimSchema.plugin(auditWrites, { resourceType: 'aidTeamMembershipClaim' });
export const AidMembershipClaimModel = model('AidTeamMembershipClaim', aidMembershipClaimSchema);

const participantSchema = new Schema(
  {
    member: { type: Schema.Types.ObjectId, ref: 'AidTeamMember', required: true },
    student: { type: Schema.Types.ObjectId, ref: 'Student', required: true },
    studentName: { type: String, required: true },
    hours: { type: Number, required: true, min: 0.5, max: 24 },
  },
  { _id: false },
);

/** An activity of the aid service team (E1) and the hours each member served in it. */
const aidActivitySchema = new Schema(
  {
    kind: { type: String, enum: AID_ACTIVITY_KINDS, required: true },
    title: { type: String, required: true },
    date: { type: Date, required: true },
    /** Calendar year of `date` (Asia/Shanghai), the year of the summaries. */
    year: { type: Number, required: true },
    place: { type: String },
    participants: { type: [participantSchema], default: [] },
    /** The college of the first participant (the activity's audit entries name it). */
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    /** The colleges of all participants: the activity is read in each of them (scope `aidTeam`). */
    colleges: { type: [Schema.Types.ObjectId], default: [] },
    /** Its participations are written (see AidParticipation); false only until then, or after a writer died. */
    counted: { type: Boolean, required: true, default: false },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true },
);
aidActivitySchema.index({ year: 1, counted: 1 });
aidActivitySchema.index({ year: 1, kind: 1, _id: 1 });
aidActivitySchema.index({ year: 1, colleges: 1, _id: 1 });
aidActivitySchema.plugin(auditWrites, { resourceType: 'aidTeamActivity' });
export type AidActivity = InferSchemaType<typeof aidActivitySchema>;
export const AidActivityModel = model('AidTeamActivity', aidActivitySchema);

/**
 * One member's part in one activity (`_id` `<activity>:<member>`), kept beside the activity so that the
 * year's hours are one $match + $group on an index. Written right after the activity from its participants;
 * logging the same activity again writes any that are missing.
 */
const aidParticipationSchema = new Schema(
  {
    _id: { type: String, required: true },
    activity: { type: Schema.Types.ObjectId, ref: 'AidTeamActivity', required: true },
    member: { type: Schema.Types.ObjectId, ref: 'AidTeamMember', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    kind: { type: String, enum: AID_ACTIVITY_KINDS, required: true },
    year: { type: Number, required: true },
    hours: { type: Number, required: true },
  },
  { versionKey: false },
);
aidParticipationSchema.index({ member: 1, year: 1 });
aidParticipationSchema.index({ year: 1, college: 1 });
aidParticipationSchema.index({ activity: 1 });
aidParticipationSchema.plugin(auditWrites, { resourceType: 'aidTeamParticipation' });
export const AidParticipationModel = model('AidTeamParticipation', aidParticipationSchema);
