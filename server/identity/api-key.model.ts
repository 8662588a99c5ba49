import { auditWrites } from '../audit/audit-writes.plugin';
import { Schema, model, type InferSchemaType } from 'mongoose';
import { PERMISSIONS } from './roles';

/** A machine client's key. Only a hash of the secret is stored; the key is shown once at creation. */
const apiKeySchema = new Schema(
  {
    keyId: { type: String, required: true, unique: true },
    secretHash: { type: String, required: true },
    name: { type: String, required: true, trim: true, maxlength: 100 },
    scopes: [{ type: String, enum: PERMISSIONS }],
    /** The key acts as this user, limited to its scopes. */
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College' },
    lastUsedAt: { type: Date },
    revokedAt: { type: Date },
  },
  { timestamps: true },
);

apiKeySchema.plugin(auditWrites, { resourceType: 'apiKey' });
export type ApiKey = InferSchemaType<typeof apiKeySchema>;
export const ApiKeyModel = model('ApiKey', apiKeySchema);
