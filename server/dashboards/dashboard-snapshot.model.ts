import { Schema, model } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/**
 * The dashboard's figures, computed by aggregation in the database and kept as one document per school
 * (`_id: 'school'`), so that a dashboard request is one read by `_id` whatever the school's size. Cells are
 * the finest grain every view needs (college × counselor × care tier …); views add them up.
 */
const snapshotSchema = new Schema(
  {
    _id: { type: String },
    computedAt: { type: Date, required: true },
    academicYear: { type: String, required: true },
    /** When the academic year began: what "this year" means for the 喜报 figures. */
    yearStart: { type: Date },
    /** Students per college × counselor × care tier: how many, how many not confirmed this year, how many overdue for a contact. */
    students: [{ _id: false, college: String, counselor: String, careTier: String, students: Number, stale: Number, overdue: Number }],
    /** Open key-communication cases per college × owner × category × age bucket, and how many are past their deadline. */
    cases: [{ _id: false, college: String, owner: String, category: String, age: String, open: Number, overdue: Number }],
    /** 喜报 per college × owner this academic year: qualifying awards and those delivered to the family. */
    goodNews: [{ _id: false, college: String, owner: String, letters: Number, delivered: Number }],
    /** Visit plans of open campaigns per college: distinct students planned against ⌈rate × enrolled⌉. */
    coverage: [{ _id: false, campaign: String, title: String, college: String, state: String, enrolled: Number, required: Number, planned: Number, approved: Boolean }],
    /** Who the cells name, as of the computation: a dashboard request reads no directory. */
    colleges: [{ _id: false, id: String, code: String, name: String }],
    counselors: [{ _id: false, id: String, username: String, name: String, college: String }],
    computeMs: { type: Number },
  },
  { versionKey: false },
);
snapshotSchema.plugin(auditWrites, { resourceType: 'dashboardSnapshot' });

export const DashboardSnapshotModel = model('DashboardSnapshot', snapshotSchema);

/** One slot of refreshing: inserting it is how one process of several claims the work (unique `_id`). */
const refreshClaimSchema = new Schema({ _id: { type: String }, at: { type: Date, required: true } }, { versionKey: false });
refreshClaimSchema.plugin(auditWrites, { resourceType: 'dashboardRefreshClaim' });
export const DashboardRefreshClaimModel = model('DashboardRefreshClaim', refreshClaimSchema);
