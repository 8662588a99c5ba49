import { Schema, model } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/**
 * The stored answer to a write sent with an `Idempotency-Key`, so that a retried request (an n8n
 * execution run again) gets the first answer instead of creating a second record. The answer can hold
 * sensitive fields, so it is kept encrypted.
 */
const idempotencyRecordSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    method: { type: String, required: true },
    path: { type: String, required: true },
    status: { type: Number, required: true },
    sealedBody: { type: String, required: true },
  },
  { timestamps: true },
);
idempotencyRecordSchema.plugin(auditWrites, { resourceType: 'idempotencyRecord' });

export const IdempotencyRecordModel = model('IdempotencyRecord', idempotencyRecordSchema);
