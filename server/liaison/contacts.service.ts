import { Types } from 'mongoose';
import type { AppConfig } from '../config/config';
import type { FieldProblem } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan, mayReferTo, scopeFilter } from '../identity/policy';
import { staffContacts } from '../identity/staff-directory';
import { createOnce } from '../db/create-once';
import { StudentModel } from '../students/student.model';
import type { StudentsService } from '../students/students.service';
import { CHANNELS, ContactModel, TOPICS } from './contact.model';
import { pageWithTotal } from '../db/page-with-total';

export interface ContactInput {
  student: string;
  guardianName: string;
  channel: string;
  topics: string[];
  summary: string;
  parentFeedback: string;
  followUps: Array<{ action: string; due?: Date }>;
  contactedAt: Date;
}

/** Validates a contact; parents' feedback is required (F2: "especially the parents' feedback"). */
export function parseContactInput(raw: Record<string, unknown>): { value: ContactInput; problems: FieldProblem[] } {
  const found: FieldProblem[] = [];
  const str = (field: string, zh: string, max: number, required = true): string => {
    const v = typeof raw[field] === 'string' ? (raw[field] as string).trim() : '';
    if (!v && required) found.push({ path: field, message: `${zh}为必填项`, messageEn: `${field} is required`, rule: 'required' });
    if (v.length > max) found.push({ path: field, message: `${zh}不能超过 ${max} 个字符`, messageEn: `${field} must have at most ${max} characters`, rule: 'maxLength' });
    return v;
  };
  const value: ContactInput = {
    student: str('student', '学生（学号或编号）', 40),
    guardianName: str('guardianName', '联系的家长', 30),
    channel: str('channel', '沟通方式', 20),
    topics: Array.isArray(raw.topics) ? raw.topics.map(String) : [],
    summary: str('summary', '沟通摘要', 3000),
    parentFeedback: str('parentFeedback', '家长反馈意见', 3000),
    followUps: [],
    contactedAt: raw.contactedAt ? new Date(String(raw.contactedAt)) : new Date(),
  };
  if (value.channel && !(CHANNELS as readonly string[]).includes(value.channel)) {
    found.push({ path: 'channel', message: `沟通方式应为 ${CHANNELS.join('、')} 之一`, messageEn: `channel must be one of ${CHANNELS.join(', ')}`, rule: 'enum' });
  }
  if (value.topics.length === 0 || value.topics.some((t) => !(TOPICS as readonly string[]).includes(t))) {
    found.push({ path: 'topics', message: `沟通内容至少选一项：${TOPICS.join('、')}`, messageEn: `topics must list one or more of ${TOPICS.join(', ')}`, rule: 'enum' });
  }
  if (Number.isNaN(value.contactedAt.getTime()) || value.contactedAt.getTime() > Date.now() + 60_000) {
    found.push({ path: 'contactedAt', message: '沟通时间无效或在将来', messageEn: 'contactedAt is invalid or in the future', rule: 'date' });
  }
  if (Array.isArray(raw.followUps)) {
    raw.followUps.forEach((f: unknown, i: number) => {
      const item = (f ?? {}) as Record<string, unknown>;
      const action = typeof item.action === 'string' ? item.action.trim() : '';
      const due = item.due ? new Date(String(item.due)) : undefined;
      if (!action) found.push({ path: `followUps[${i}].action`, message: '跟进措施为必填项', messageEn: 'action is required', rule: 'required' });
      else if (due && Number.isNaN(due.getTime())) found.push({ path: `followUps[${i}].due`, message: '截止日期无效', messageEn: 'due is not a date', rule: 'date' });
      else value.followUps.push({ action, due });
    });
  }
  return { value, problems: found };
}

/** Students named in one overdue list unless the caller asks for another bound. */
const OVERDUE_LIMIT = 5_000;

export class ContactsService {
  constructor(
    private readonly students: StudentsService,
    private readonly config: Pick<AppConfig, 'contactIntervalDays'>,
  ) {}

  /** `id` makes the call idempotent: logging again under the same id returns the contact logged first. */
  async log(actor: Actor, input: ContactInput, id?: Types.ObjectId) {
    assertCan(actor, 'contacts:write');
    const student = await this.students.findReferable(actor, input.student);
    const draft = new ContactModel({ ...input, _id: id ?? new Types.ObjectId(), student: student._id, college: student.college, owner: actor.userId });
    const { doc: contact } = await createOnce(draft, () => ContactModel.findById(draft._id));
    await this.students.noteContact(student._id, contact.contactedAt);
    return this.present(contact);
  }

  /** Takes back a contact logged for a request that did not complete (see the forms module's recovery). */
  async discard(id: Types.ObjectId): Promise<void> {
    await ContactModel.deleteOne({ _id: id });
  }

  present(contact: InstanceType<typeof ContactModel>) {
    return {
      id: String(contact._id),
      student: String(contact.student),
      guardianName: contact.guardianName,
      channel: contact.channel,
      topics: contact.topics,
      summary: contact.summary,
      parentFeedback: contact.parentFeedback,
      followUps: contact.followUps,
      contactedAt: contact.contactedAt,
      owner: String(contact.owner),
    };
  }

  /** A contact the actor may see, for closing a case or a notify task with it. */
  async findForStudent(actor: Actor, contactId: string, studentId: Types.ObjectId) {
    if (!Types.ObjectId.isValid(contactId)) return undefined;
    const contact = await ContactModel.findById(contactId);
    return contact && contact.student.equals(studentId) && mayReferTo(actor, contact) ? contact : undefined;
  }

  async list(actor: Actor, query: { student?: string; limit: number; skip: number }) {
    const filter: Record<string, unknown> = { ...scopeFilter(actor, 'contact') };
    if (query.student) filter.student = (await this.students.findReferable(actor, query.student))._id;
    const { items, total } = await pageWithTotal(ContactModel.find(filter).sort({ contactedAt: -1 }).skip(query.skip).limit(query.limit), () => ContactModel.countDocuments(filter), query.skip, query.limit);
    return { items: items.map((c) => this.present(c)), total };
  }

  /**
   * B2 for one student: the tier's interval, when the family is due to be contacted and whether that is
   * past — the rule of `overdue`: due the tier's interval after the last contact; a family never contacted
   * is overdue, due since the archive was made (its id's time).
   */
  cadence(student: { _id: Types.ObjectId; careTier?: string | null; lastContactAt?: Date | null }, now: Date = new Date()) {
    const intervals = this.config.contactIntervalDays;
    const intervalDays = intervals[(student.careTier ?? 'general') as keyof typeof intervals] ?? intervals.general;
    const dueAt = student.lastContactAt ? new Date(student.lastContactAt.getTime() + intervalDays * 86_400_000) : student._id.getTimestamp();
    return { intervalDays, dueAt, overdue: !student.lastContactAt || dueAt.getTime() < now.getTime() };
  }

  /** B2: students whose family has not been contacted within their tier's interval, grouped by counselor. */
  async overdue(actor: Actor, now: Date = new Date(), counselor?: string, limit = OVERDUE_LIMIT) {
    const intervals = this.config.contactIntervalDays;
    const tiers = Object.entries(intervals).map(([tier, days]) => ({
      careTier: tier,
      $or: [{ lastContactAt: { $lt: new Date(now.getTime() - days * 86_400_000) } }, { lastContactAt: null }],
    }));
    const filter: Record<string, unknown> = { ...scopeFilter(actor, 'student'), $or: tiers };
    if (counselor && Types.ObjectId.isValid(counselor)) filter.counselor = new Types.ObjectId(counselor);
    const found = await StudentModel.find(filter).select('studentNo name className careTier counselor college lastContactAt').sort({ careTier: 1, studentNo: 1 }).limit(limit + 1).lean();
    const truncated = found.length > limit;
    const students = truncated ? found.slice(0, limit) : found;
    const people = await staffContacts(students.map((s) => s.counselor));
    const byCounselor = new Map<string, { counselor: string | null; counselorName: string | null; counselorEmail: string | null; students: unknown[] }>();
    for (const s of students) {
      const key = s.counselor ? String(s.counselor) : 'none';
      const person = s.counselor ? people.get(String(s.counselor)) : undefined;
      if (!byCounselor.has(key)) byCounselor.set(key, { counselor: s.counselor ? String(s.counselor) : null, counselorName: person?.displayName ?? null, counselorEmail: person?.email ?? null, students: [] });
      const days = intervals[s.careTier as keyof typeof intervals];
      byCounselor.get(key)!.students.push({
        id: String(s._id), studentNo: s.studentNo, name: s.name, className: s.className, careTier: s.careTier, lastContactAt: s.lastContactAt ?? null, intervalDays: days,
        dueSince: s.lastContactAt ? new Date(s.lastContactAt.getTime() + days * 86_400_000) : null,
      });
    }
    const total = truncated ? await StudentModel.countDocuments(filter) : students.length;
    return { asOf: now, intervals, total, truncated, counselors: [...byCounselor.values()] };
  }
}
