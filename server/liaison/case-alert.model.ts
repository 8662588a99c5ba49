import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/**
 * One alert raised about a student, attached to the open case it joined. A document of its own rather
 * than an element pushed onto the case: FerretDB applies `$push` by reading and rewriting the whole
 * document, so concurrent pushes lose alerts there; an insert is never lost on any server.
 */
const caseAlertSchema = new Schema(
  {
    case: { type: Schema.Types.ObjectId, ref: 'KeyCase', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    at: { type: Date, required: true },
    raisedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    department: { type: String },
    description: { type: String, required: true },
  },
  { timestamps: true },
);
caseAlertSchema.index({ case: 1, at: 1 });
caseAlertSchema.index({ raisedBy: 1 });
caseAlertSchema.plugin(auditWrites, { resourceType: 'caseAlert' });

export type CaseAlert = InferSchemaType<typeof caseAlertSchema>;
export const CaseAlertModel = model('CaseAlert', caseAlertSchema);
