import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/**
 * One version of a Form.io form definition. A changed definition becomes a new version;
 * submissions keep pointing at the version they were made with.
 */
const formSchema = new Schema(
  {
    path: { type: String, required: true, match: /^[a-zA-Z][a-zA-Z0-9]{1,60}$/ },
    version: { type: Number, required: true, min: 1 },
    title: { type: String, required: true },
    name: { type: String, required: true },
    display: { type: String, default: 'form' },
    components: { type: Schema.Types.Mixed, required: true },
    settings: { type: Schema.Types.Mixed, default: {} },
    /** Content hash of the definition: an unchanged file does not create a version. */
    hash: { type: String, required: true },
    source: { type: String, enum: ['file', 'builder'], required: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true, minimize: false },
);
formSchema.index({ path: 1, version: 1 }, { unique: true });
formSchema.plugin(auditWrites, { resourceType: 'form' });

export type FormVersion = InferSchemaType<typeof formSchema>;
export const FormModel = model('Form', formSchema);
