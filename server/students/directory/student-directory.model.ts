import { Schema, model } from 'mongoose';
import { auditWrites } from '../../audit/audit-writes.plugin';

/**
 * One entry per archive (same `_id`) holding, under the key of the archive's revision, what whole-school
 * reads need in one packed string (student-directory.ts). The embedded engine decodes every field of every
 * document it scans, so 40,000 archives cost seconds per pass; these entries cost a fifth of that.
 */
const studentDirectorySchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    /** revision → packed entry; the highest revision present is the entry. */
    d: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, minimize: false },
);
studentDirectorySchema.plugin(auditWrites, { resourceType: 'studentDirectory' });

export const StudentDirectoryModel = model('StudentDirectoryEntry', studentDirectorySchema, 'studentdirectory');
