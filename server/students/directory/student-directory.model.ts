import { Schema, model } from 'mongoose';
import { auditWrites } from '../../audit/audit-writes.plugin';

/**
 * One entry per archive (same `_id`): what whole-school reads need of it, in one string — the archive's
 * revision in ten digits, `|`, then the packed fields (student-directory.ts). The embedded engine decodes
 * every field of every document it scans, so 40,000 archives cost ≈ 16 s per pass; these entries ≈ 3 s.
 * Written with `$max`, so of two writes landing out of order the later revision stays.
 */
const studentDirectorySchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    e: { type: String, required: true },
  },
  { versionKey: false },
);
studentDirectorySchema.plugin(auditWrites, { resourceType: 'studentDirectory' });

export const StudentDirectoryModel = model('StudentDirectoryEntry', studentDirectorySchema, 'studentdirectory');
