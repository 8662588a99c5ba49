import { auditWrites } from '../audit/audit-writes.plugin';
import { Schema, model } from 'mongoose';

/** Browser sessions. Expiry is checked in code (TTL indexes are not available on every supported server). */
const sessionSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true },
);

sessionSchema.plugin(auditWrites, { resourceType: 'session' });
export const SessionModel = model('Session', sessionSchema);
