import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/** B4 (1)–(6): the situations that require key communication with the family. */
export const CASE_CATEGORIES = ['academic', 'cannotFollow', 'internetOrExtreme', 'emergency', 'statusChange', 'other'] as const;
export const CASE_CATEGORY_ZH: Record<(typeof CASE_CATEGORIES)[number], string> = {
  academic: '学分不足、旷课或挂科严重',
  cannotFollow: '无法正常参加教学安排',
  internetOrExtreme: '网络成瘾、思想偏激',
  emergency: '突发事件、重大身心疾病',
  statusChange: '学籍异动',
  other: '学校认为需告知家长的其他情况',
};

/**
 * One open case per student and category: later alerts join it. Owned by the student's counselor,
 * due by a deadline, escalated to the college leader when overdue, closed only by a logged contact.
 * The alerts (case-alert.model.ts) and the escalation (case-milestone.model.ts) are documents of their
 * own: the case is written only when opened and when closed.
 */
const keyCaseSchema = new Schema(
  {
    student: { type: Schema.Types.ObjectId, ref: 'Student', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    category: { type: String, enum: CASE_CATEGORIES, required: true },
    /**
     * `<student>:<category>` while open, `closed:<case id>` once closed. Its unique index is what lets
     * only one case be open per student and category: a second concurrent insert fails (11000).
     * Always set (not sparse) so that the same index works on FerretDB and MongoDB alike.
     */
    openKey: { type: String, required: true, unique: true },
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    status: { type: String, enum: ['open', 'closed'], required: true, default: 'open' },
    deadline: { type: Date, required: true },
    closedAt: { type: Date },
    closedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    closingContact: { type: Schema.Types.ObjectId, ref: 'Contact' },
    resolution: { type: String },
  },
  { timestamps: true },
);
keyCaseSchema.index({ student: 1 });
keyCaseSchema.index({ status: 1, deadline: 1 });
keyCaseSchema.index({ college: 1, status: 1, deadline: 1 });
keyCaseSchema.plugin(auditWrites, { resourceType: 'keyCase' });

export type KeyCase = InferSchemaType<typeof keyCaseSchema>;

export function openCaseKey(student: Types.ObjectId, category: string): string {
  return `${String(student)}:${category}`;
}

export function closedCaseKey(caseId: Types.ObjectId): string {
  return `closed:${String(caseId)}`;
}
export const KeyCaseModel = model('KeyCase', keyCaseSchema);
