import { Schema, model, type InferSchemaType } from 'mongoose';

export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'read-sensitive', 'sign-in', 'sign-in-failed'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
/** Longest reason an audit entry keeps. */
export const AUDIT_REASON_MAX_LENGTH = 500;

/** Append-only record of every write and of every read of a sensitive field (PIPL arts. 51, 55). */
const auditEntrySchema = new Schema({
  at: { type: Date, required: true, default: () => new Date() },
  action: { type: String, required: true, enum: AUDIT_ACTIONS },
  resourceType: { type: String, required: true },
  resourceId: { type: String },
  /** Names (never values) of the fields written or read. */
  fields: [{ type: String }],
  count: { type: Number },
  /**
   * Why the reader opened sensitive fields (break-glass, `read-sensitive` only): the reader's own words,
   * bounded; never a value of the fields read.
   */
  reason: { type: String, maxlength: AUDIT_REASON_MAX_LENGTH },
  actor: {
    kind: { type: String, enum: ['user', 'apiKey', 'system', 'anonymous'], required: true },
    userId: { type: Schema.Types.ObjectId },
    username: { type: String },
    role: { type: String },
    apiKeyId: { type: Schema.Types.ObjectId },
  },
  college: { type: Schema.Types.ObjectId },
  requestId: { type: String },
  ip: { type: String },
});
auditEntrySchema.index({ resourceType: 1, resourceId: 1, at: -1 });
auditEntrySchema.index({ 'actor.userId': 1, at: -1 });
// The audit view lists newest first, school-wide or per college, filtered by action.
auditEntrySchema.index({ at: -1, _id: -1 });
auditEntrySchema.index({ action: 1, at: -1 });
auditEntrySchema.index({ college: 1, at: -1 });

export type AuditEntry = InferSchemaType<typeof auditEntrySchema>;
export const AuditEntryModel = model('AuditEntry', auditEntrySchema);
