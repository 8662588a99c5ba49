import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import { watchEnrolment } from './enrolment-counts';
import { ARCHIVE_SENSITIVE_FIELDS, type ArchiveSensitiveField } from '../security/sensitive-data';

export const CARE_TIERS = ['special', 'key', 'general'] as const;
export const SPECIAL_CATEGORIES = ['financialHardship', 'disability', 'chronicIllness', 'psychological', 'academic', 'familyChange', 'other'] as const;
/** A4: encrypted at rest, readable only with `sensitive:read`, every read audited (defined in security/sensitive-data). */
export const SENSITIVE_FIELDS = ARCHIVE_SENSITIVE_FIELDS;
export type SensitiveField = ArchiveSensitiveField;

const guardianSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    relation: { type: String, required: true, trim: true },
    phone: { type: String, required: true },
  },
  { _id: false },
);

const assistanceSchema = new Schema(
  {
    date: { type: Date, required: true },
    kind: { type: String, required: true },
    description: { type: String, required: true },
    recordedBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { _id: true },
);

/** A student's archive (A1) with the dedicated special-student part (A2). */
const studentSchema = new Schema(
  {
    studentNo: { type: String, required: true, unique: true, trim: true },
    name: { type: String, required: true, trim: true },
    gender: { type: String, enum: ['male', 'female'], required: true },
    birthDate: { type: Date, required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    major: { type: String, required: true },
    grade: { type: String, required: true },
    className: { type: String, required: true },
    counselor: { type: Schema.Types.ObjectId, ref: 'User' },
    guardians: { type: [guardianSchema], default: [] },
    homeAddress: { type: String },
    careTier: { type: String, enum: CARE_TIERS, default: 'general' },
    specialCategories: [{ type: String, enum: SPECIAL_CATEGORIES }],
    supportPlan: { type: String },
    assistanceRecords: { type: [assistanceSchema], default: [] },
    /** Ciphertexts of the sensitive fields, keyed by field name (see security/sensitive-data). */
    sealed: { type: Schema.Types.Mixed, default: {} },
    /** A3: the archive counts as current for the academic year it was last confirmed or changed in. */
    lastConfirmedAt: { type: Date },
    lastConfirmedYear: { type: String },
    revision: { type: Number, default: 0 },
    /** When the family was last contacted (kept by the liaison module, for contact cadence B2). */
    lastContactAt: { type: Date },
  },
  { timestamps: true, minimize: false },
);
studentSchema.index({ college: 1, grade: 1, major: 1 });
studentSchema.index({ college: 1, lastConfirmedYear: 1 });
studentSchema.index({ counselor: 1 });
studentSchema.index({ careTier: 1, lastContactAt: 1 });
// The archive list is ordered by number, school-wide or within a college.
studentSchema.index({ college: 1, studentNo: 1 });
studentSchema.plugin(auditWrites, { resourceType: 'student' });
watchEnrolment(studentSchema);

export type Student = InferSchemaType<typeof studentSchema>;
export const StudentModel = model('Student', studentSchema);
