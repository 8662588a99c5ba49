import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

export const AWARD_LEVELS = ['school', 'city', 'provincial', 'ministerial', 'national', 'international'] as const;
export const AWARD_CATEGORIES = ['honour', 'competition', 'goodDeed', 'other'] as const;

/** B3: an award or penalty; recording it opens a notify-parents task that a logged contact closes. B5: good news. */
const awardSchema = new Schema(
  {
    student: { type: Schema.Types.ObjectId, ref: 'Student', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    kind: { type: String, enum: ['award', 'penalty'], required: true },
    title: { type: String, required: true },
    level: { type: String, enum: AWARD_LEVELS, required: true },
    category: { type: String, enum: AWARD_CATEGORIES, required: true },
    /** For good deeds (B5 (3)): the deed had wide impact in the school and in society. */
    wideImpact: { type: Boolean, default: false },
    date: { type: Date, required: true },
    description: { type: String },
    recordedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    notifyStatus: { type: String, enum: ['open', 'closed'], required: true, default: 'open' },
    notifyClosedBy: { type: Schema.Types.ObjectId, ref: 'Contact' },
    goodNews: { type: Boolean, default: false },
    deliveries: [{ _id: false, channel: String, at: Date, recordedBy: Schema.Types.ObjectId, note: String }],
  },
  { timestamps: true },
);
awardSchema.index({ student: 1, date: -1 });
awardSchema.index({ college: 1, notifyStatus: 1 });
awardSchema.plugin(auditWrites, { resourceType: 'award' });

export type Award = InferSchemaType<typeof awardSchema>;
export const AwardModel = model('Award', awardSchema);

/** B5: provincial-level or higher honours and competition results, and good deeds of wide impact. */
export function qualifiesForGoodNews(award: { kind: string; level: string; category: string; wideImpact?: boolean | null }): boolean {
  if (award.kind !== 'award') return false;
  const provincialOrHigher = ['provincial', 'ministerial', 'national', 'international'].includes(award.level);
  if (award.category === 'honour') return provincialOrHigher;
  if (award.category === 'competition') return provincialOrHigher;
  if (award.category === 'goodDeed') return !!award.wideImpact;
  return false;
}
