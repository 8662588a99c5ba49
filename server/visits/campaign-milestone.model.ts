import { Schema, model } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/**
 * A reminder that may go only once: sending it is an insert whose `_id` is
 * `<campaign>:<college>:<deadline ms>:<stage>` (e.g. `…:1798516800000:24h`). Of overlapping checks — two
 * runs of one process, or several replicas — exactly one insert succeeds and only that one emits the
 * event. The deadline is part of the `_id`, so an extension for the college starts its reminders afresh
 * for the new deadline.
 */
const campaignMilestoneSchema = new Schema(
  {
    _id: { type: String, required: true },
    campaign: { type: Schema.Types.ObjectId, ref: 'VisitCampaign', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    stage: { type: String, required: true },
    dueAt: { type: Date, required: true },
    at: { type: Date, required: true },
  },
  { timestamps: true },
);
campaignMilestoneSchema.index({ campaign: 1, college: 1 });
campaignMilestoneSchema.plugin(auditWrites, { resourceType: 'campaignMilestone' });

export const CampaignMilestoneModel = model('CampaignMilestone', campaignMilestoneSchema);
