import { Schema, model } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/**
 * One `Idempotency-Key` of one caller. The first request inserts it (`state: 'pending'`) — the insert on
 * `_id` is the claim, so of ten concurrent requests with one key exactly one runs. Its answer is then
 * stored (`done`), encrypted, for the others to replay. The request's fingerprint is kept encrypted too:
 * a plain hash of a body holding a password or webhook secret could be guessed offline.
 */
const idempotencyRecordSchema = new Schema(
  {
    /** `<user id>:<API key id or "session">:<Idempotency-Key>` — keys never collide across callers. */
    _id: { type: String, required: true },
    method: { type: String, required: true },
    path: { type: String, required: true },
    sealedFingerprint: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    status: { type: Number },
    /** The answer with secrets removed (see withheld-fields.ts); absent for answers without a JSON body. */
    sealedBody: { type: String },
    withheld: [{ type: String }],
  },
  { timestamps: true, collection: 'idempotencykeys' },
);
idempotencyRecordSchema.plugin(auditWrites, { resourceType: 'idempotencyRecord' });

export const IdempotencyRecordModel = model('IdempotencyRecord', idempotencyRecordSchema);
