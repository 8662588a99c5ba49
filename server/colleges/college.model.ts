import { auditWrites } from '../audit/audit-writes.plugin';
import { Schema, model, type InferSchemaType } from 'mongoose';

const collegeSchema = new Schema(
  {
    code: { type: String, required: true, unique: true, trim: true },
    name: { type: String, required: true, trim: true },
  },
  { timestamps: true },
);

collegeSchema.plugin(auditWrites, { resourceType: 'college' });
export type College = InferSchemaType<typeof collegeSchema>;
export const CollegeModel = model('College', collegeSchema);
