import { Types, type HydratedDocument } from 'mongoose';
import type { AppConfig } from '../config/config';
import { publishEvent } from '../events/event-bus';
import { problems } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan, mayActForCollege, scopeFilter } from '../identity/policy';
import { staffContacts } from '../identity/staff-directory';
import { UserModel } from '../identity/user.model';
import type { StudentsService } from '../students/students.service';
import type { ContactsService } from './contacts.service';
import { CASE_CATEGORIES, CASE_CATEGORY_ZH, KeyCaseModel, type KeyCase } from './key-case.model';

type CaseDoc = HydratedDocument<KeyCase>;

export class CasesService {
  constructor(
    private readonly students: StudentsService,
    private readonly contacts: ContactsService,
    private readonly config: Pick<AppConfig, 'caseDeadlineDays'>,
  ) {}

  /**
   * B4/B7: raises an alert. A second alert for the same student and category joins the open case; a new
   * case goes to the student's counselor (whoever raised it, from whichever department).
   */
  async raise(actor: Actor, input: { student: string; category: string; description: string; department?: string }) {
    assertCan(actor, 'cases:raise');
    if (!(CASE_CATEGORIES as readonly string[]).includes(input.category)) {
      throw problems.validation([{ path: 'category', message: `类别应为 ${CASE_CATEGORIES.join('、')} 之一`, messageEn: `category must be one of ${CASE_CATEGORIES.join(', ')}`, rule: 'enum' }]);
    }
    if (!input.description?.trim()) throw problems.validation([{ path: 'description', message: '情况说明为必填项', messageEn: 'description is required', rule: 'required' }]);
    const student = await this.students.findReferable(actor, input.student);
    const alert = { at: new Date(), raisedBy: actor.userId, department: input.department, description: input.description.trim() };
    const category = input.category as KeyCase['category'];
    const open: CaseDoc | null = await KeyCaseModel.findOne({ student: student._id, category, status: 'open' });
    if (open) {
      open.alerts.push(alert);
      await open.save();
      return { joined: true, case: await this.present(open) };
    }
    const days = this.config.caseDeadlineDays[input.category] ?? 7;
    const created = new KeyCaseModel({
      student: student._id,
      college: student.college,
      category: input.category,
      owner: student.counselor ?? actor.userId,
      deadline: new Date(Date.now() + days * 86_400_000),
      alerts: [alert],
    });
    await created.save();
    const owner = (await staffContacts([created.owner])).get(String(created.owner));
    await publishEvent({
      type: 'case.opened',
      college: created.college,
      payload: {
        ...(await this.present(created)),
        studentNo: student.studentNo,
        studentName: student.name,
        className: student.className,
        ownerName: owner?.displayName ?? null,
        ownerEmail: owner?.email ?? null,
      },
    });
    return { joined: false, case: await this.present(created) };
  }

  private visibleFilter(actor: Actor): Record<string, unknown> {
    // Whoever raised an alert keeps seeing the case, to learn how it was closed (the policy's `own` for cases).
    return scopeFilter(actor, 'case');
  }

  async get(actor: Actor, id: string): Promise<CaseDoc> {
    const found = Types.ObjectId.isValid(id) ? await KeyCaseModel.findOne({ _id: id, ...this.visibleFilter(actor) }) : null;
    if (!found) throw problems.notFound('Case', '重点沟通事项');
    return found;
  }

  async present(c: CaseDoc) {
    return {
      id: String(c._id),
      student: String(c.student),
      college: String(c.college),
      category: c.category,
      categoryZh: CASE_CATEGORY_ZH[c.category as keyof typeof CASE_CATEGORY_ZH],
      owner: String(c.owner),
      status: c.status,
      deadline: c.deadline,
      overdue: c.status === 'open' && c.deadline.getTime() < Date.now(),
      escalatedAt: c.escalatedAt ?? null,
      alerts: c.alerts.map((a) => ({ at: a.at, raisedBy: String(a.raisedBy), department: a.department ?? null, description: a.description })),
      closedAt: c.closedAt ?? null,
      closingContact: c.closingContact ? String(c.closingContact) : null,
      resolution: c.resolution ?? null,
    };
  }

  async list(actor: Actor, query: { status?: string; overdue?: boolean; student?: string; limit: number; skip: number }) {
    const filter: Record<string, unknown> = { ...this.visibleFilter(actor) };
    if (query.status) filter.status = query.status;
    if (query.overdue) Object.assign(filter, { status: 'open', deadline: { $lt: new Date() } });
    if (query.student && Types.ObjectId.isValid(query.student)) filter.student = query.student;
    const [items, total] = await Promise.all([
      KeyCaseModel.find(filter).sort({ deadline: 1 }).skip(query.skip).limit(query.limit),
      KeyCaseModel.countDocuments(filter),
    ]);
    return { items: await Promise.all(items.map((c) => this.present(c))), total };
  }

  /** Closes only with a contact logged with the family after the case was opened. */
  async close(actor: Actor, id: string, input: { contact: string; resolution: string }) {
    assertCan(actor, 'cases:manage');
    const found = await this.get(actor, id);
    if (!mayActForCollege(actor, found.college)) throw problems.forbidden('Only the student’s college may close this case', '只有学生所在院系可以办结此事项');
    if (found.status === 'closed') throw problems.conflict('The case is already closed', '此事项已办结');
    const contact = await this.contacts.findForStudent(actor, input.contact, found.student);
    if (!contact || contact.contactedAt.getTime() < (found.createdAt as Date).getTime() - 60_000) {
      throw problems.validation([{ path: 'contact', message: '须关联事项发生后与该生家长的沟通记录', messageEn: 'must name a contact with this student’s family logged after the case was opened', rule: 'contact' }]);
    }
    if (!input.resolution?.trim()) throw problems.validation([{ path: 'resolution', message: '办结说明为必填项', messageEn: 'resolution is required', rule: 'required' }]);
    Object.assign(found, { status: 'closed', closedAt: new Date(), closedBy: actor.userId, closingContact: contact._id, resolution: input.resolution.trim() });
    await found.save();
    const presented = await this.present(found);
    await publishEvent({ type: 'case.closed', college: found.college, payload: { ...presented, notify: [...new Set(found.alerts.map((a) => String(a.raisedBy)))] } });
    return presented;
  }

  /**
   * Marks open cases past their deadline as escalated (once) and tells the college leaders; each carries
   * the student (name, number, class) and the responsible counselor, so a message can name them.
   */
  async escalateOverdue(actor: Actor, now: Date = new Date()) {
    assertCan(actor, 'cases:escalate');
    const overdue = await KeyCaseModel.find({ status: 'open', deadline: { $lt: now }, escalatedAt: null });
    const [students, owners] = await Promise.all([this.students.briefs(overdue.map((c) => c.student)), staffContacts(overdue.map((c) => c.owner))]);
    const escalated = [];
    for (const c of overdue) {
      c.escalatedAt = now;
      await c.save();
      const leaders = await UserModel.find({ role: 'collegeLeader', college: c.college, active: true }).select('_id username displayName email').lean();
      const owner = owners.get(String(c.owner));
      const payload = {
        ...(await this.present(c)),
        ...students.get(String(c.student)),
        ownerName: owner?.displayName ?? null,
        ownerEmail: owner?.email ?? null,
        escalateTo: leaders.map((l) => ({ id: String(l._id), username: l.username, displayName: l.displayName, email: l.email ?? null })),
      };
      await publishEvent({ type: 'case.overdue', college: c.college, payload });
      escalated.push(payload);
    }
    return escalated;
  }
}
