import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import { LETTER_CAMPAIGN_STATES, LETTER_CHANNELS, TERMS } from './letter-vocabulary';

/** A college's own section of the letter, shown to the families of its students below the school's text. */
const collegeSectionSchema = new Schema(
  {
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    html: { type: String, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const audienceSchema = new Schema(
  {
    colleges: [{ type: Schema.Types.ObjectId, ref: 'College' }],
    grades: [{ type: String }],
  },
  { _id: false },
);

/** Counters of the launch, kept while it runs so a page can show progress (B6 §2). */
const progressSchema = new Schema(
  {
    families: { type: Number, default: 0 },
    created: { type: Number, default: 0 },
    sent: { type: Number, default: 0 },
    failed: { type: Number, default: 0 },
    print: { type: Number, default: 0 },
    delivered: { type: Number, default: 0 },
    /** Families who opened the letter and who answered it, counted at the first open and first answer. */
    opened: { type: Number, default: 0 },
    answered: { type: Number, default: 0 },
  },
  { _id: false },
);

/**
 * A term-end letter campaign (B6): the letter, its audience, channels and dates. Changes are point updates
 * conditional on `revision`; the launch is resumable from the state alone (see letter-launch.ts).
 */
const letterCampaignSchema = new Schema(
  {
    title: { type: String, required: true, trim: true },
    academicYear: { type: String, required: true },
    term: { type: String, enum: TERMS, required: true },
    /** Sanitised rich text (letter-html.ts); pictures are stored files referenced by `/api/letter-pictures/<id>`. */
    html: { type: String, required: true, default: '' },
    collegeSections: { type: [collegeSectionSchema], default: [] },
    /** Audience: empty lists mean every college / every grade. */
    audience: { type: audienceSchema, required: true, default: () => ({}) },
    /** Channels in order of preference; a family without a phone or e-mail gets a printed letter when `print` is chosen. */
    channels: { type: [{ type: String, enum: LETTER_CHANNELS }], default: () => ['sms', 'print'] },
    /** When sending starts (absent: at launch). */
    sendAt: { type: Date },
    feedbackDueAt: { type: Date, required: true },
    /** Working days a ticket owner has to respond (default from settings). */
    responseDays: { type: Number, required: true },
    /** Days after sending before a family that has not opened the letter is reminded, and then called. */
    reminderAfterDays: { type: Number, required: true },
    state: { type: String, enum: LETTER_CAMPAIGN_STATES, required: true, default: 'draft' },
    revision: { type: Number, required: true, default: 1 },
    /** The key the campaign's link tokens are derived from, sealed with the field cipher; set at launch. */
    tokenKey: { type: String },
    progress: { type: progressSchema, default: () => ({}) },
    /** Set when every family's letter exists; sending starts then. */
    lettersCreatedAt: { type: Date },
    /** Outbox batches per channel and how many were handed out (claimed with `$inc`, see letter-outbox.ts). */
    outbox: {
      sms: { batches: { type: Number, default: 0 }, claimed: { type: Number, default: 0 } },
      email: { batches: { type: Number, default: 0 }, claimed: { type: Number, default: 0 } },
    },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    launchedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    launchedAt: { type: Date },
    sentAt: { type: Date },
    closedAt: { type: Date },
  },
  { timestamps: true, minimize: false },
);
letterCampaignSchema.index({ state: 1, sendAt: 1 });
letterCampaignSchema.plugin(auditWrites, { resourceType: 'letterCampaign' });

export type LetterCampaign = InferSchemaType<typeof letterCampaignSchema>;
export const LetterCampaignModel = model('LetterCampaign', letterCampaignSchema);
