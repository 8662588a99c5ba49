import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/** An uploaded file. Until a submission references it only its uploader may read it. */
const storedFileSchema = new Schema(
  {
    originalName: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    /** SHA-256 of the content (hex): the same photo uploaded twice is recognised as one. */
    sha256: { type: String },
    storage: { type: String, enum: ['gridfs', 'folder'], required: true },
    /** GridFS file id, or the file name inside the upload folder. */
    location: { type: String, required: true },
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College' },
    submission: { type: Schema.Types.ObjectId, ref: 'Submission' },
  },
  { timestamps: true },
);
storedFileSchema.plugin(auditWrites, { resourceType: 'file' });

export type StoredFile = InferSchemaType<typeof storedFileSchema>;
export const StoredFileModel = model('StoredFile', storedFileSchema);
