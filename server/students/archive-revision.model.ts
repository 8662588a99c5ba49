import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/**
 * One change (or yearly confirmation) of a student's archive: who, when, what changed, and the whole
 * archive after it (sensitive fields only as ciphertext) so that any two academic years can be compared.
 */
const archiveRevisionSchema = new Schema({
  /** `<student id>:<revision>` (see `revisionId`): claiming a revision is an insert on `_id`. */
  _id: { type: String, required: true },
  student: { type: Schema.Types.ObjectId, ref: 'Student', required: true },
  revision: { type: Number, required: true },
  academicYear: { type: String, required: true },
  at: { type: Date, required: true },
  source: { type: String, enum: ['api', 'import', 'confirm', 'visit', 'undo'], required: true },
  actor: { userId: { type: Schema.Types.ObjectId }, username: { type: String } },
  /** Field names with before/after values; sensitive fields carry no values (`sensitive: true`). */
  changes: [{ _id: false, field: String, from: Schema.Types.Mixed, to: Schema.Types.Mixed, sensitive: Boolean }],
  snapshot: { type: Schema.Types.Mixed, required: true },
  college: { type: Schema.Types.ObjectId, ref: 'College' },
  /** This revision created the archive. */
  creates: { type: Boolean },
  /** The roster import that wrote this revision (so an interrupted import can be undone). */
  importJob: { type: Schema.Types.ObjectId, ref: 'ImportJob' },
  /** A change confirmed from a visit report's proposal (D8): which report, which version. */
  origin: { type: new Schema({ visitReport: String, version: Number, proposal: String }, { _id: false }), default: undefined },
});
/** Claiming the next revision is inserting this record: the unique key lets only one writer have it. */
archiveRevisionSchema.index({ student: 1, revision: 1 }, { unique: true });
archiveRevisionSchema.plugin(auditWrites, { resourceType: 'archiveRevision' });

/**
 * The id of a student's revision. Claims, the step back of an undo and the orphaned-claim check are
 * then point operations on `_id`, the one key every supported engine serves from an index.
 */
export function revisionId(student: { toString(): string }, revision: number): string {
  return `${student.toString()}:${revision}`;
}

export type ArchiveRevision = InferSchemaType<typeof archiveRevisionSchema>;
export const ArchiveRevisionModel = model('ArchiveRevision', archiveRevisionSchema);
