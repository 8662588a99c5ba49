import { auditWrites } from '../audit/audit-writes.plugin';
import { Schema, model, type InferSchemaType } from 'mongoose';
import { ROLE_NAMES } from './roles';

const userSchema = new Schema(
  {
    username: { type: String, required: true, unique: true, trim: true, lowercase: true, match: /^[a-z0-9._-]{3,40}$/ },
    displayName: { type: String, required: true, trim: true },
    role: { type: String, required: true, enum: ROLE_NAMES },
    college: { type: Schema.Types.ObjectId, ref: 'College' },
    /** Where workflows send this person's reminders and digests. */
    email: { type: String, trim: true, lowercase: true, match: /^[^\s@]+@[^\s@]+\.[^\s@]+$/ },
    passwordHash: { type: String },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);

// A college's leaders by role (B6: feedback without a counselor goes to the college's leader).
userSchema.index({ college: 1, role: 1 });
userSchema.plugin(auditWrites, { resourceType: 'user' });
export type User = InferSchemaType<typeof userSchema>;
export const UserModel = model('User', userSchema);
