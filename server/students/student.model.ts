import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

const guardianSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    relation: { type: String, required: true, trim: true },
    phone: { type: String, required: true, match: /^1\d{10}$|^0\d{2,3}-?\d{7,8}$/ },
  },
  { _id: false },
);

/** A student's basic archive (A1). */
const studentSchema = new Schema(
  {
    studentNo: { type: String, required: true, unique: true, trim: true },
    name: { type: String, required: true, trim: true },
    gender: { type: String, enum: ['male', 'female'], required: true },
    birthDate: { type: Date, required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    major: { type: String, required: true },
    grade: { type: String, required: true },
    className: { type: String, required: true },
    counselor: { type: Schema.Types.ObjectId, ref: 'User' },
    guardians: { type: [guardianSchema], default: [] },
    homeAddress: { type: String },
    careTier: { type: String, enum: ['special', 'key', 'general'], default: 'general' },
  },
  { timestamps: true },
);
studentSchema.index({ college: 1, grade: 1, major: 1 });
studentSchema.plugin(auditWrites, { resourceType: 'student' });

export type Student = InferSchemaType<typeof studentSchema>;
export const StudentModel = model('Student', studentSchema);
