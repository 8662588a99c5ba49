import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import { LETTER_CHANNELS } from './letter-vocabulary';

/**
 * Up to 100 letters of one channel, made at launch with everything the sender needs except the link
 * (derived from the campaign's key when the batch is handed out). `_id` is `<campaign>:<channel>:<n>`:
 * the launch inserts each batch once, the sender claims batch n by incrementing the campaign's counter —
 * point operations by `_id` only, which every engine serves from its index.
 */
const outboxBatchSchema = new Schema(
  {
    _id: { type: String, required: true },
    campaign: { type: Schema.Types.ObjectId, ref: 'LetterCampaign', required: true },
    channel: { type: String, enum: LETTER_CHANNELS, required: true },
    letters: [
      {
        _id: false,
        letter: { type: String, required: true },
        to: [{ type: String }],
        greeting: { type: String, required: true },
        college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
      },
    ],
    claimedAt: { type: Date },
    /** Outcomes recorded for this batch's letters; a batch claimed long ago and short of outcomes is handed out again. */
    recorded: { type: Number, default: 0 },
  },
  { versionKey: false },
);
outboxBatchSchema.index({ campaign: 1, channel: 1 });
outboxBatchSchema.plugin(auditWrites, { resourceType: 'letterOutboxBatch' });

export type OutboxBatch = InferSchemaType<typeof outboxBatchSchema>;
export const OutboxBatchModel = model('LetterOutboxBatch', outboxBatchSchema);
