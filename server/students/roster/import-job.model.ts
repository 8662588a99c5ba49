import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../../audit/audit-writes.plugin';

export const IMPORT_STATES = ['queued', 'validating', 'writing', 'completed', 'rejected', 'failed'] as const;

/** A roster import (A5): its progress and its row-by-row report. */
const importJobSchema = new Schema(
  {
    fileName: { type: String, required: true },
    status: { type: String, enum: IMPORT_STATES, required: true, default: 'queued' },
    totalRows: { type: Number, default: 0 },
    processedRows: { type: Number, default: 0 },
    created: { type: Number, default: 0 },
    updated: { type: Number, default: 0 },
    unchanged: { type: Number, default: 0 },
    errorCount: { type: Number, default: 0 },
    /** The first problems found (row, field, message), enough to fix the file. */
    errors: [{ _id: false, row: Number, field: String, message: String, messageEn: String }],
    failure: { type: String },
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College' },
    finishedAt: { type: Date },
    /** Touched while the import runs, so that a service process that died is told apart from a slow file. */
    heartbeatAt: { type: Date },
  },
  { timestamps: true, suppressReservedKeysWarning: true },
);
importJobSchema.plugin(auditWrites, { resourceType: 'importJob' });

export type ImportJob = InferSchemaType<typeof importJobSchema>;
export const ImportJobModel = model('ImportJob', importJobSchema);
