import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../../audit/audit-writes.plugin';
import { revisionClaimModel } from '../../db/revision-claims';

export const SUMMARY_STATES = ['draft', 'submitted'] as const;
export type SummaryState = (typeof SUMMARY_STATES)[number];
export const SUMMARY_STATE_ZH: Record<SummaryState, string> = { draft: '草稿', submitted: '已提交学工部' };

/** The text of a summary, section by section, as the college edited it. */
export const SUMMARY_SECTIONS = ['overview', 'problems', 'cases', 'reflections'] as const;
export type SummarySection = (typeof SUMMARY_SECTIONS)[number];
export const SUMMARY_SECTION_ZH: Record<SummarySection, string> = { overview: '家访情况', problems: '遇到的问题及解决方法', cases: '成长成才典型案例', reflections: '心得体会摘录' };

/**
 * A college's summary of a campaign (学院总结, D10, seed 001 §8(一)), once saved: `_id`
 * `<campaign>:<college>`, so there is one per college and campaign. Until it is saved the service answers
 * a draft generated from the records. The figures are never typed: they are computed from the records on
 * every read, and kept as they were on submission.
 */
const collegeSummarySchema = new Schema(
  {
    _id: { type: String, required: true },
    campaign: { type: Schema.Types.ObjectId, ref: 'VisitCampaign', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    state: { type: String, enum: SUMMARY_STATES, required: true },
    sections: { overview: { type: String, default: '' }, problems: { type: String, default: '' }, cases: { type: String, default: '' }, reflections: { type: String, default: '' } },
    /** The figures as they were when the summary was submitted. */
    submittedFigures: { type: Schema.Types.Mixed, default: null },
    submittedAt: { type: Date },
    submittedBy: { type: new Schema({ user: Schema.Types.ObjectId, name: String }, { _id: false }), default: null },
    revision: { type: Number, required: true },
    updatedByName: { type: String, default: '' },
  },
  { timestamps: true, minimize: false },
);
collegeSummarySchema.plugin(auditWrites, { resourceType: 'collegeSummary' });

export type CollegeSummary = InferSchemaType<typeof collegeSummarySchema> & { _id: string; updatedAt?: Date };
export const CollegeSummaryModel = model('CollegeSummary', collegeSummarySchema);
export const CollegeSummaryRevisionModel = revisionClaimModel('CollegeSummaryRevision', 'collegeSummaryRevision', ['save', 'submit']);

export const summaryId = (campaign: unknown, college: unknown): string => `${String(campaign)}:${String(college)}`;
