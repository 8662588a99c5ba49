import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

export const CHANNELS = ['phone', 'letter', 'sms', 'online', 'meeting', 'homeVisit'] as const;
export const TOPICS = ['conduct', 'grades', 'thinking', 'awardsPenalties', 'incident'] as const;

/** B1/F2: one contact with a student's family, with the parents' feedback and what follows from it. */
const contactSchema = new Schema(
  {
    student: { type: Schema.Types.ObjectId, ref: 'Student', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    guardianName: { type: String, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    topics: [{ type: String, enum: TOPICS }],
    summary: { type: String, required: true },
    parentFeedback: { type: String, required: true },
    followUps: [{ _id: false, action: String, due: Date }],
    contactedAt: { type: Date, required: true },
    /** Cases and notify tasks this contact closed. */
    closes: [{ _id: false, kind: { type: String, enum: ['case', 'award'] }, id: Schema.Types.ObjectId }],
  },
  { timestamps: true },
);
contactSchema.index({ student: 1, contactedAt: -1 });
contactSchema.index({ college: 1, contactedAt: -1 });
contactSchema.plugin(auditWrites, { resourceType: 'contact' });

export type Contact = InferSchemaType<typeof contactSchema>;
export const ContactModel = model('Contact', contactSchema);
