import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { auditWrites } from '../../audit/audit-writes.plugin';
import { TARGET_TYPES, VISIT_KINDS, VISIT_MODES } from '../visit-vocabulary';
import { visitorSchema } from '../visit-plan.model';
import { AID_POLICIES, ORIENTATIONS, REPAYMENT_INTENTIONS, REPORT_STATES, SAFETY_TOPICS } from './report-vocabulary';

/**
 * What the visitor writes (D7): structured, not one text box. The sensitive parts (psychological state,
 * family finances) are not here: they live sealed in `sealed`.
 */
const contentSchema = new Schema(
  {
    /** Calendar day of the visit (midnight UTC of the day, see academic-calendar `calendarDate`). */
    visitedOn: { type: Date },
    place: { type: String, default: '' },
    metWith: { type: String, default: '' },
    orientations: { type: [{ type: String, enum: ORIENTATIONS }], default: [] },
    familyState: { type: String, default: '' },
    emotionalState: { type: String, default: '' },
    studyState: { type: String, default: '' },
    personality: { type: String, default: '' },
    safetyEducation: { type: [{ type: String, enum: SAFETY_TOPICS }], default: [] },
    aidPolicies: { type: [{ type: String, enum: AID_POLICIES }], default: [] },
    graduateDevelopment: { type: String, default: '' },
    loan: {
      type: new Schema({ repaymentIntention: { type: String, enum: REPAYMENT_INTENTIONS }, reminderGiven: { type: Boolean, default: false }, note: { type: String, default: '' } }, { _id: false }),
      default: null,
    },
    account: { type: String, default: '' },
    reflections: { type: String, default: '' },
    parentOpinion: { type: String, default: '' },
    followUp: { type: new Schema({ needed: { type: Boolean, default: false }, needs: { type: String, default: '' } }, { _id: false }), default: () => ({}) },
  },
  { _id: false, minimize: false },
);

/** The facts a report copies from the approved plan entry or the archive — never typed again. */
const visitFields = {
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
  leaderVisit: { type: Boolean, required: true },
  plannedOn: { type: Date },
};

/**
 * One student visit's report (D6–D7, 附件3). Its `_id` is `<campaign>:<college>:<entry id>` for a planned
 * visit and `<campaign>:<college>:unplanned-<student id>` for an unplanned one: one report per plan entry
 * (and per student outside the plan), decided by the unique `_id` even when two starts race. Every
 * change is a point update on `_id` and `revision`; each submission keeps its version in
 * `visitreportversions`.
 */
const visitReportSchema = new Schema(
  {
    _id: { type: String, required: true },
    campaign: { type: Schema.Types.ObjectId, ref: 'VisitCampaign', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    /** The approved plan entry reported on; null for an unplanned visit. */
    entryId: { type: String, default: null },
    unplanned: { type: Boolean, required: true },
    /** Why a visit outside the plan was made (required for unplanned visits). */
    reason: { type: String, default: '' },
    ...visitFields,
    state: { type: String, enum: REPORT_STATES, required: true, default: 'draft' },
    revision: { type: Number, required: true },
    /** Submitted versions so far (0 while never submitted). */
    version: { type: Number, required: true, default: 0 },
    content: { type: contentSchema, default: () => ({}) },
    /** Ciphertexts of the sensitive parts, keyed by field name (see report-vocabulary REPORT_SENSITIVE_FIELDS). */
    sealed: { type: Schema.Types.Mixed, default: {} },
    /** Stored-file ids of the evidence. */
    photos: { type: [String], default: [] },
    media: { type: [String], default: [] },
    /** Key the uploads of this report are linked under (stored files name an ObjectId). */
    fileKey: { type: Schema.Types.ObjectId, required: true },
    /** The id of the family contact the report records once submitted (D8): the same for every version. */
    contactId: { type: Schema.Types.ObjectId, required: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    submittedAt: { type: Date },
    submittedBy: { type: new Schema({ user: Schema.Types.ObjectId, username: String, displayName: String }, { _id: false }), default: null },
    /** Archive changes the visit proposes (D8), by archive field; the sealed ones live in `sealed` (see proposals/proposal-fields). */
    proposals: { type: Schema.Types.Mixed, default: {} },
    /** The last time the report was returned to its visitors: why, by whom, which version. */
    lastReturn: {
      type: new Schema({ reason: { type: String, required: true }, version: { type: Number, required: true }, by: { type: Schema.Types.ObjectId, required: true }, byName: { type: String, required: true }, at: { type: Date, required: true } }, { _id: false }),
      default: null,
    },
  },
  { timestamps: true, minimize: false },
);
visitReportSchema.index({ campaign: 1, college: 1 });
visitReportSchema.index({ campaign: 1, 'visitors.user': 1 });
// A student's visits across campaigns (D8 timeline) and a college's earlier visits (revisit candidates).
visitReportSchema.index({ student: 1 });
visitReportSchema.index({ college: 1, version: 1 });
/** A download of an upload finds the report it is evidence of (report-evidence-names.ts). */
visitReportSchema.index({ fileKey: 1 }, { unique: true });
visitReportSchema.plugin(auditWrites, { resourceType: 'visitReport' });

/** A submitted version of a report, kept as it was submitted: `_id` `<report id>#<version>`. */
const visitReportVersionSchema = new Schema(
  {
    _id: { type: String, required: true },
    report: { type: String, required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    version: { type: Number, required: true },
    /** The report's revision this version was submitted at. */
    revision: { type: Number, required: true },
    ...visitFields,
    content: { type: contentSchema, required: true },
    sealed: { type: Schema.Types.Mixed, default: {} },
    proposals: { type: Schema.Types.Mixed, default: {} },
    photos: { type: [String], default: [] },
    media: { type: [String], default: [] },
    submittedAt: { type: Date, required: true },
    submittedBy: { type: new Schema({ user: Schema.Types.ObjectId, username: String, displayName: String }, { _id: false }), required: true },
  },
  { timestamps: true, minimize: false },
);
visitReportVersionSchema.plugin(auditWrites, { resourceType: 'visitReportVersion' });

export type VisitReport = InferSchemaType<typeof visitReportSchema>;
export type ReportContent = InferSchemaType<typeof contentSchema>;
export const VisitReportModel = model('VisitReport', visitReportSchema);
export const VisitReportVersionModel = model('VisitReportVersion', visitReportVersionSchema);

export function plannedReportId(campaign: Types.ObjectId | string, college: Types.ObjectId | string, entryId: string): string {
  return `${String(campaign)}:${String(college)}:${entryId}`;
}

export function unplannedReportId(campaign: Types.ObjectId | string, college: Types.ObjectId | string, student: Types.ObjectId | string): string {
  return `${String(campaign)}:${String(college)}:unplanned-${String(student)}`;
}

export const reportVersionId = (report: string, version: number): string => `${report}#${version}`;

export const REPORT_ACTIONS = ['start', 'save', 'submit', 'return'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

/**
 * One change of a report: who, when, which action. Its `_id` `<report id>:<revision>` is the claim on
 * that revision: of two writers that read the same revision (two saves, a save and a submission, two
 * submissions) only one can insert it — decided by the unique `_id` on any engine and pool size.
 */
const visitReportRevisionSchema = new Schema({
  _id: { type: String, required: true },
  report: { type: String, required: true },
  college: { type: Schema.Types.ObjectId, required: true },
  revision: { type: Number, required: true },
  action: { type: String, enum: REPORT_ACTIONS, required: true },
  /** The submitted version this change made (submissions only). */
  version: { type: Number },
  at: { type: Date, required: true },
  by: { userId: { type: Schema.Types.ObjectId, required: true }, username: { type: String, required: true }, displayName: { type: String } },
});
visitReportRevisionSchema.plugin(auditWrites, { resourceType: 'visitReportRevision' });
export const VisitReportRevisionModel = model('VisitReportRevision', visitReportRevisionSchema);

export const reportRevisionId = (report: string, revision: number): string => `${report}:${revision}`;
