import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

const submissionSchema = new Schema(
  {
    form: { type: Schema.Types.ObjectId, ref: 'Form', required: true },
    formPath: { type: String, required: true },
    formVersion: { type: Number, required: true },
    /** Submission data without sensitive fields (those live encrypted in `sealed`). */
    data: { type: Schema.Types.Mixed, default: {} },
    /** Sensitive field values, each AES-256-GCM encrypted, keyed by component key. */
    sealed: { type: Schema.Types.Mixed, default: {} },
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College' },
    /** `processing`: stored, but its domain record is not made yet — invisible until it is. */
    state: { type: String, enum: ['submitted', 'draft', 'processing'], default: 'submitted' },
    metadata: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: true, minimize: false },
);
submissionSchema.index({ formPath: 1, college: 1, createdAt: -1 });
submissionSchema.index({ owner: 1, createdAt: -1 });
submissionSchema.index({ formPath: 1, createdAt: -1, _id: -1 });
submissionSchema.plugin(auditWrites, { resourceType: 'submission' });

export type Submission = InferSchemaType<typeof submissionSchema>;
export const SubmissionModel = model('Submission', submissionSchema);
