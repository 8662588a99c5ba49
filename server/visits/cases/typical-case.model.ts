import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../../audit/audit-writes.plugin';
import { revisionClaimModel } from '../../db/revision-claims';
import { PUBLICITY_CHANNELS } from './typical-case-vocabulary';

/**
 * A consent to publicity as it was recorded (D9): the student's, and the guardian's where needed (a
 * minor, or the family shown), for the channels named. Withdrawal is recorded on it; nothing is deleted.
 */
const consentSchema = new Schema(
  {
    id: { type: String, required: true },
    channels: { type: [{ type: String, enum: PUBLICITY_CHANNELS }], required: true },
    /** The student consented (always required). */
    student: { type: Boolean, required: true },
    guardian: { type: new Schema({ name: { type: String, required: true }, relation: { type: String, default: '' } }, { _id: false }), default: null },
    /** Why the guardian's consent was needed, when it was: the student a minor, the family shown. */
    guardianNeeded: { type: [{ type: String, enum: ['minor', 'family'] }], default: [] },
    note: { type: String, default: '' },
    /** Stored-file id of the signed consent form, if uploaded. */
    evidence: { type: String, default: null },
    recordedBy: { type: new Schema({ user: { type: Schema.Types.ObjectId, required: true }, name: { type: String, required: true } }, { _id: false }), required: true },
    recordedAt: { type: Date, required: true },
    withdrawn: {
      type: new Schema({ at: { type: Date, required: true }, by: { type: Schema.Types.ObjectId, required: true }, byName: { type: String, required: true }, reason: { type: String, required: true } }, { _id: false }),
      default: null,
    },
  },
  { _id: false },
);

/**
 * A college's typical case (典型案例, D9): one student's development before the visit, after it and after
 * graduation, drawn on that student's submitted visit reports, with pictures chosen from their photos.
 * Its `_id` is a fresh record id (hex). Every change is claimed in `typicalcaserevisions` and written by
 * `_id` and revision. No sensitive part of a report is ever copied here.
 */
const typicalCaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    student: { type: Schema.Types.ObjectId, ref: 'Student', required: true },
    studentNo: { type: String, required: true },
    studentName: { type: String, required: true },
    /** The visit reports the case draws on (ids) and their campaigns (for lists by campaign). */
    reports: { type: [String], required: true },
    campaigns: { type: [Schema.Types.ObjectId], required: true },
    title: { type: String, required: true },
    before: { type: String, default: '' },
    after: { type: String, default: '' },
    afterGraduation: { type: String, default: '' },
    /** Stored-file ids, each a photo of one of `reports`. */
    pictures: { type: [String], default: [] },
    consents: { type: [consentSchema], default: [] },
    /** Key the consent forms uploaded for this case are linked under. */
    fileKey: { type: Schema.Types.ObjectId, required: true },
    revision: { type: Number, required: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    createdByName: { type: String, required: true },
  },
  { timestamps: true, minimize: false },
);
typicalCaseSchema.index({ college: 1, createdAt: -1 });
typicalCaseSchema.index({ campaigns: 1, college: 1 });
typicalCaseSchema.plugin(auditWrites, { resourceType: 'typicalCase' });

export type TypicalCase = InferSchemaType<typeof typicalCaseSchema> & { _id: string; createdAt?: Date; updatedAt?: Date };
export type Consent = InferSchemaType<typeof consentSchema>;
export const TypicalCaseModel = model('TypicalCase', typicalCaseSchema);

export const TYPICAL_CASE_ACTIONS = ['create', 'edit', 'consent', 'withdraw'] as const;
export const TypicalCaseRevisionModel = revisionClaimModel('TypicalCaseRevision', 'typicalCaseRevision', TYPICAL_CASE_ACTIONS);
