import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import { DELIVERY_STATES, LETTER_CHANNELS } from './letter-vocabulary';

const deliverySchema = new Schema(
  {
    state: { type: String, enum: DELIVERY_STATES, required: true, default: 'pending' },
    attempts: { type: Number, default: 0 },
    error: { type: String },
    sentAt: { type: Date },
    deliveredAt: { type: Date },
  },
  { _id: false },
);

/**
 * One family's copy of a campaign's letter (B6 §2). Its `_id` is derived from the campaign and the family
 * (families.ts), so creating letters is an insert that cannot happen twice: a launch repeated or resumed
 * after a crash ends with exactly one letter per family.
 */
const familyLetterSchema = new Schema(
  {
    _id: { type: String, required: true },
    campaign: { type: Schema.Types.ObjectId, ref: 'LetterCampaign', required: true },
    /** The family's first student (lowest archive id) decides college, counselor and grade. */
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    counselor: { type: Schema.Types.ObjectId, ref: 'User' },
    grade: { type: String, required: true },
    students: [{ type: Schema.Types.ObjectId, ref: 'Student' }],
    /** Other colleges of the family's students, whose sections the letter also shows. */
    colleges: [{ type: Schema.Types.ObjectId, ref: 'College' }],
    /** Given names for the greeting; nothing else about the students reaches the parent's page. */
    greeting: { type: String, required: true },
    phones: [{ type: String }],
    channel: { type: String, enum: LETTER_CHANNELS, required: true },
    /** A family of a special student gets a personal call from the counselor as well (B6 §1). */
    personalCall: { type: Boolean, default: false },
    delivery: { type: deliverySchema, required: true, default: () => ({}) },
    /** The outbox batch (letter-outbox.ts) that carries the letter to its channel. */
    batch: { type: String },
    /** SHA-256 of the secret part of the link token (letter-tokens.ts); the token itself is never stored. */
    tokenHash: { type: String, required: true },
    tokenVersion: { type: Number, required: true, default: 1 },
    tokenRevokedAt: { type: Date },
    openedAt: { type: Date },
    lastOpenedAt: { type: Date },
    opens: { type: Number, default: 0 },
    answeredAt: { type: Date },
    /** Feedback forms sent from the parent's page (one per submission id, at most 10; parent/intake). */
    feedbacks: { type: Number, default: 0 },
    /** The submission ids behind `feedbacks`: a retried form is recognised and counted once. */
    submissions: { type: [String], default: undefined },
    remindedAt: { type: Date },
    calledAt: { type: Date },
  },
  { timestamps: true, minimize: false },
);
// The campaign's letters by counselor (call lists, report) and the outbox of letters still to send.
familyLetterSchema.index({ campaign: 1, college: 1, counselor: 1 });
familyLetterSchema.index({ campaign: 1, 'delivery.state': 1 });
familyLetterSchema.index({ campaign: 1, openedAt: 1 });
familyLetterSchema.index({ campaign: 1, answeredAt: 1 });
// Reach (reach/reach.service.ts): families due a reminder, reminded and unread, special students' families to call.
familyLetterSchema.index({ campaign: 1, remindedAt: 1, openedAt: 1 });
familyLetterSchema.index({ campaign: 1, personalCall: 1 });
familyLetterSchema.plugin(auditWrites, { resourceType: 'familyLetter' });

export type FamilyLetter = InferSchemaType<typeof familyLetterSchema>;
export const FamilyLetterModel = model('FamilyLetter', familyLetterSchema);
