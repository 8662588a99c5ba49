import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../../audit/audit-writes.plugin';
import { FUND_KINDS, FUNDER_ACTIVITY_KINDS, FUNDER_KINDS } from '../support-vocabulary';

/** A company, social group, alumnus or person who funds scholarships and grants (E2). */
const funderSchema = new Schema(
  {
    kind: { type: String, enum: FUNDER_KINDS, required: true },
    name: { type: String, required: true },
    contact: { type: String },
    note: { type: String },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true },
);
funderSchema.index({ kind: 1, _id: 1 });
funderSchema.plugin(auditWrites, { resourceType: 'funder' });
export const FunderModel = model('Funder', funderSchema);

/**
 * One year's scholarship or grant of a funder. `awarded` is the sum of its awards; `revision` counts them:
 * award n is the ledger entry `<fund>:<revision n>` (see funds-ledger.ts).
 */
const fundSchema = new Schema(
  {
    funder: { type: Schema.Types.ObjectId, ref: 'Funder', required: true },
    kind: { type: String, enum: FUND_KINDS, required: true },
    name: { type: String, required: true },
    year: { type: Number, required: true },
    amount: { type: Number, required: true, min: 1 },
    criteria: { type: String, required: true },
    awarded: { type: Number, required: true, default: 0 },
    revision: { type: Number, required: true, default: 1 },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true },
);
fundSchema.index({ year: 1, _id: 1 });
fundSchema.index({ funder: 1, year: 1, _id: 1 });
fundSchema.plugin(auditWrites, { resourceType: 'fund' });
export type Fund = InferSchemaType<typeof fundSchema>;
export const FundModel = model('Fund', fundSchema);

/**
 * The ledger of a fund: entry `<fund>:<revision>` is the award that took the fund from revision − 1 to
 * revision, with the fund's total after it. Inserting it (unique `_id`) is the moment an award is made;
 * storing the award and moving the fund's total follow from it and are repeated by whoever finds them
 * missing, so a writer that dies in between leaves nothing half done for long.
 */
const fundLedgerSchema = new Schema(
  {
    _id: { type: String, required: true },
    fund: { type: Schema.Types.ObjectId, required: true },
    revision: { type: Number, required: true },
    award: { type: Schema.Types.ObjectId, required: true },
    amount: { type: Number, required: true },
    awardedAfter: { type: Number, required: true },
    /** The award as it is stored (everything but its `_id`). */
    record: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
fundLedgerSchema.plugin(auditWrites, { resourceType: 'fundLedger' });
export const FundLedgerModel = model('FundLedger', fundLedgerSchema);

/** A student's award from a fund (E2). `nameConsent`: the funder's report may name the student. */
const fundAwardSchema = new Schema(
  {
    fund: { type: Schema.Types.ObjectId, ref: 'Fund', required: true },
    funder: { type: Schema.Types.ObjectId, ref: 'Funder', required: true },
    year: { type: Number, required: true },
    student: { type: Schema.Types.ObjectId, ref: 'Student', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    studentNo: { type: String, required: true },
    studentName: { type: String, required: true },
    grade: { type: String },
    major: { type: String },
    amount: { type: Number, required: true },
    date: { type: Date, required: true },
    reason: { type: String, required: true },
    nameConsent: { type: Boolean, required: true },
    revision: { type: Number, required: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true },
);
fundAwardSchema.index({ fund: 1, _id: 1 });
fundAwardSchema.index({ fund: 1, college: 1, _id: 1 });
fundAwardSchema.index({ funder: 1, year: 1 });
fundAwardSchema.index({ student: 1 });
fundAwardSchema.plugin(auditWrites, { resourceType: 'fundAward' });
export type FundAward = InferSchemaType<typeof fundAwardSchema>;
export const FundAwardModel = model('FundAward', fundAwardSchema);

/** A funder's lecture, mentoring or practice with students (E2). */
const funderActivitySchema = new Schema(
  {
    funder: { type: Schema.Types.ObjectId, ref: 'Funder', required: true },
    kind: { type: String, enum: FUNDER_ACTIVITY_KINDS, required: true },
    title: { type: String, required: true },
    date: { type: Date, required: true },
    year: { type: Number, required: true },
    participants: { type: Number, required: true, min: 0 },
    students: { type: [Schema.Types.ObjectId], default: [] },
    note: { type: String },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true },
);
funderActivitySchema.index({ funder: 1, year: 1, _id: 1 });
funderActivitySchema.plugin(auditWrites, { resourceType: 'funderActivity' });
export const FunderActivityModel = model('FunderActivity', funderActivitySchema);
