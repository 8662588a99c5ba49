import { auditWrites } from '../audit/audit-writes.plugin';
import { Schema, model } from 'mongoose';

/**
 * Browser sessions, keyed by the SHA-256 of their token so that every request finds its session by `_id`.
 * Expiry is checked in code (TTL indexes are not available on every supported server).
 */
const sessionSchema = new Schema(
  {
    _id: { type: String },
    tokenHash: { type: String, required: true, unique: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true },
);

sessionSchema.plugin(auditWrites, { resourceType: 'session' });
export const SessionModel = model('Session', sessionSchema);
