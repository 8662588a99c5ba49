import { Types, type HydratedDocument } from 'mongoose';
import type { AppConfig } from '../config/config';
import { isDuplicateKey } from '../db/duplicate-key';
import { publishEvent } from '../events/event-bus';
import { problems } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan, mayActForCollege, readScope, scopeFilter } from '../identity/policy';
import { collegeLeadersOf, staffContacts } from '../identity/staff-directory';
import type { StudentsService } from '../students/students.service';
import type { ContactsService } from './contacts.service';
import { CaseAlertModel, type CaseAlert } from './case-alert.model';
import { CaseMilestoneModel, milestoneId, type CaseMilestone } from './case-milestone.model';
import { upgradeLegacyCases } from './legacy-cases';
import { CASE_CATEGORIES, CASE_CATEGORY_ZH, KeyCaseModel, closedCaseKey, openCaseKey, type KeyCase } from './key-case.model';
import { pageWithTotal } from '../db/page-with-total';

type CaseDoc = HydratedDocument<KeyCase>;
type Related = { alerts: Map<string, CaseAlert[]>; escalatedAt: Map<string, Date> };

/** Open cases read at most for one actor's tasks (a college has far fewer open at once). */
const OPEN_CANDIDATES = 2_000;
/** Alerts of one raiser read at most to find the cases they follow. */
const RAISED_CANDIDATES = 2_000;

/** Each attempt ends in a join or an open unless the case closed or opened in between; a few suffice. */
const MAX_RAISE_ATTEMPTS = 10;

export class CasesService {
  private upgraded?: Promise<unknown>;

  constructor(
    private readonly students: StudentsService,
    private readonly contacts: ContactsService,
    private readonly config: Pick<AppConfig, 'caseDeadlineDays'>,
  ) {}

  /**
   * B4/B7: raises an alert. A second alert for the same student and category joins the open case; a new
   * case goes to the student's counselor (whoever raised it, from whichever department).
   *
   * Under concurrency: the case's unique `openKey` lets exactly one of several simultaneous first alerts
   * open the case, the others join it; every alert is its own insert, so every acknowledged alert is kept.
   */
  async raise(actor: Actor, input: { student: string; category: string; description: string; department?: string }) {
    assertCan(actor, 'cases:raise');
    if (!(CASE_CATEGORIES as readonly string[]).includes(input.category)) {
      throw problems.validation([{ path: 'category', message: `类别应为 ${CASE_CATEGORIES.join('、')} 之一`, messageEn: `category must be one of ${CASE_CATEGORIES.join(', ')}`, rule: 'enum' }]);
    }
    if (!input.description?.trim()) throw problems.validation([{ path: 'description', message: '情况说明为必填项', messageEn: 'description is required', rule: 'required' }]);
    const student = await this.students.findReferable(actor, input.student);
    const category = input.category as KeyCase['category'];
    const openKey = openCaseKey(student._id, category);
    await this.ready();

    for (let attempt = 0; attempt < MAX_RAISE_ATTEMPTS; attempt += 1) {
      let target: CaseDoc | null = await KeyCaseModel.findOne({ openKey });
      const opening = !target;
      if (!target) {
        try {
          const days = this.config.caseDeadlineDays[category] ?? 7;
          target = await KeyCaseModel.create({
            openKey,
            student: student._id,
            college: student.college,
            category,
            owner: student.counselor ?? actor.userId,
            deadline: new Date(Date.now() + days * 86_400_000),
          });
        } catch (error) {
          if (isDuplicateKey(error)) continue; // another alert opened it a moment ago: join that one
          throw error;
        }
      }
      const alert = await CaseAlertModel.create({
        case: target._id,
        college: target.college,
        at: new Date(),
        raisedBy: actor.userId,
        department: input.department,
        description: input.description.trim(),
      });
      // Closing sets the status before it reads the alerts to notify; an alert that arrived after that
      // moves on to a new case instead of sitting unseen on a closed one.
      const current = await KeyCaseModel.findById(target._id);
      if (current?.status !== 'open') {
        await CaseAlertModel.deleteOne({ _id: alert._id });
        continue;
      }
      const presented = await this.present(current);
      if (opening) {
        const owner = (await staffContacts([current.owner])).get(String(current.owner));
        await publishEvent({
          type: 'case.opened',
          college: current.college,
          payload: { ...presented, studentNo: student.studentNo, studentName: student.name, className: student.className, ownerName: owner?.displayName ?? null, ownerEmail: owner?.email ?? null },
        });
      }
      return { joined: !opening, case: presented };
    }
    throw problems.unavailable('The case is changing too quickly, try again', '该事项正在频繁变更，请稍后重试');
  }

  /** Legacy cases upgraded and the unique `openKey` index built before any case is read or opened. */
  private ready(): Promise<unknown> {
    this.upgraded ??= upgradeLegacyCases().catch((error: unknown) => {
      this.upgraded = undefined;
      throw error;
    });
    return this.upgraded;
  }

  /**
   * The policy's scope for cases. Alerts live in their own collection, so "own" (the cases one owns or
   * raised an alert on, to learn how it was closed) is resolved to case ids first.
   */
  private async visibleFilter(actor: Actor): Promise<Record<string, unknown>> {
    await this.ready();
    if (readScope(actor, 'case') !== 'own') return scopeFilter(actor, 'case');
    const raised = await CaseAlertModel.distinct('case', { raisedBy: actor.userId });
    return { college: actor.college, $or: [{ owner: actor.userId }, { _id: { $in: raised } }] };
  }

  async get(actor: Actor, id: string): Promise<CaseDoc> {
    const found = Types.ObjectId.isValid(id) ? await KeyCaseModel.findOne({ _id: id, ...(await this.visibleFilter(actor)) }) : null;
    if (!found) throw problems.notFound('Case', '重点沟通事项');
    return found;
  }

  /** What belongs to these cases outside their own documents: their alerts and escalations. */
  private async relatedTo(caseIds: Types.ObjectId[]): Promise<Related> {
    const [alerts, escalations] = await Promise.all([
      CaseAlertModel.find({ case: { $in: caseIds } }).sort({ at: 1, _id: 1 }).lean(),
      CaseMilestoneModel.find({ _id: { $in: caseIds.map((id) => milestoneId(id, 'escalated')) } }).lean(),
    ]);
    const related: Related = { alerts: new Map(), escalatedAt: new Map() };
    for (const a of alerts) related.alerts.set(String(a.case), [...(related.alerts.get(String(a.case)) ?? []), a]);
    for (const e of escalations) related.escalatedAt.set(String(e.case), e.at);
    return related;
  }

  async present(c: CaseDoc, related?: Related) {
    const { alerts, escalatedAt } = related ?? (await this.relatedTo([c._id]));
    const caseAlerts = alerts.get(String(c._id)) ?? [];
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
      escalatedAt: escalatedAt.get(String(c._id)) ?? null,
      alerts: caseAlerts.map((a) => ({ at: a.at, raisedBy: String(a.raisedBy), department: a.department ?? null, description: a.description })),
      closedAt: c.closedAt ?? null,
      closingContact: c.closingContact ? String(c.closingContact) : null,
      resolution: c.resolution ?? null,
    };
  }

  async list(actor: Actor, query: { status?: string; overdue?: boolean; student?: string; limit: number; skip: number }) {
    const filter: Record<string, unknown> = { ...(await this.visibleFilter(actor)) };
    if (query.status) filter.status = query.status;
    if (query.overdue) Object.assign(filter, { status: 'open', deadline: { $lt: new Date() } });
    if (query.student && Types.ObjectId.isValid(query.student)) filter.student = query.student;
    const { items, total } = await pageWithTotal(KeyCaseModel.find(filter).sort({ deadline: 1 }).skip(query.skip).limit(query.limit), () => KeyCaseModel.countDocuments(filter), query.skip, query.limit);
    const related = await this.relatedTo(items.map((c) => c._id));
    return { items: await Promise.all(items.map((c) => this.present(c, related))), total };
  }

  /**
   * Open cases for the actor's tasks, within their scope, earliest deadline first: those they own or that
   * are on `students`, and with `overdue` also the overdue ones (`'escalated'`: only those escalated).
   * Reads at most OPEN_CANDIDATES cases and their escalations in two queries; returns at most `limit`,
   * with how many qualify (exact unless `truncated` and escalations had to be checked).
   */
  async openFor(actor: Actor, options: { students: Types.ObjectId[]; overdue?: 'all' | 'escalated' }, limit: number, now: Date = new Date()) {
    await this.ready();
    const mine: Record<string, unknown>[] = [{ owner: actor.userId }];
    if (options.students.length) mine.push({ student: { $in: options.students } });
    const wanted = options.overdue ? [...mine, { deadline: { $lt: now } }] : mine;
    const filter = { $and: [scopeFilter(actor, 'case'), { status: 'open', $or: wanted }] };
    const found = await KeyCaseModel.find(filter).sort({ deadline: 1, _id: 1 }).limit(OPEN_CANDIDATES + 1).lean();
    const capped = found.length > OPEN_CANDIDATES;
    const candidates = found.slice(0, OPEN_CANDIDATES);
    const escalations = await CaseMilestoneModel.find({ _id: { $in: candidates.map((c) => milestoneId(c._id, 'escalated')) } }).lean();
    const escalatedAt = new Map(escalations.map((e) => [String(e.case), e.at]));
    const students = new Set(options.students.map(String));
    const isMine = (c: (typeof candidates)[number]) => c.owner.equals(actor.userId) || students.has(String(c.student));
    const kept = options.overdue === 'escalated' ? candidates.filter((c) => isMine(c) || escalatedAt.has(String(c._id))) : candidates;
    const total = capped && options.overdue !== 'escalated' ? await KeyCaseModel.countDocuments(filter) : kept.length;
    return {
      items: kept.slice(0, limit).map((c) => ({
        id: String(c._id),
        student: c.student,
        category: c.category,
        categoryZh: CASE_CATEGORY_ZH[c.category as keyof typeof CASE_CATEGORY_ZH],
        owner: c.owner,
        mine: isMine(c),
        deadline: c.deadline,
        overdue: c.deadline.getTime() < now.getTime(),
        escalatedAt: escalatedAt.get(String(c._id)) ?? null,
      })),
      total,
      truncated: capped || kept.length > limit,
    };
  }

  /**
   * Open cases the actor raised an alert on (or owns without handling cases), to follow how they are
   * handled: their own records, earliest deadline first, with the name of who handles each. Bounded.
   */
  async raisedOpen(actor: Actor, limit: number, now: Date = new Date()) {
    await this.ready();
    const raised = await CaseAlertModel.find({ raisedBy: actor.userId }).select('case').sort({ _id: -1 }).limit(RAISED_CANDIDATES).lean();
    const within = readScope(actor, 'case') === 'school' ? {} : { college: actor.college ?? null };
    const filter: Record<string, unknown> = { ...within, status: 'open', $or: [{ owner: actor.userId }, { _id: { $in: [...new Set(raised.map((a) => String(a.case)))] } }] };
    const found = await KeyCaseModel.find(filter).sort({ deadline: 1, _id: 1 }).limit(limit + 1).lean();
    const items = found.slice(0, limit);
    const owners = await staffContacts(items.map((c) => c.owner));
    return {
      items: items.map((c) => ({
        id: String(c._id),
        student: c.student,
        category: c.category,
        categoryZh: CASE_CATEGORY_ZH[c.category as keyof typeof CASE_CATEGORY_ZH],
        ownerName: owners.get(String(c.owner))?.displayName ?? null,
        deadline: c.deadline,
        overdue: c.deadline.getTime() < now.getTime(),
      })),
      total: found.length > limit ? await KeyCaseModel.countDocuments(filter) : items.length,
      truncated: found.length > limit,
    };
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
    if (!(await this.takeMilestone(found, 'closed', actor))) throw problems.conflict('The case is already closed', '此事项已办结');
    try {
      // Freeing openKey in the same write lets the next alert open a new case.
      Object.assign(found, { status: 'closed', openKey: closedCaseKey(found._id), closedAt: new Date(), closedBy: actor.userId, closingContact: contact._id, resolution: input.resolution.trim() });
      await found.save();
    } catch (error) {
      await CaseMilestoneModel.deleteOne({ _id: milestoneId(found._id, 'closed') });
      throw error;
    }
    const presented = await this.present(found); // alerts read after the status changed (see raise)
    await publishEvent({ type: 'case.closed', college: found.college, payload: { ...presented, notify: [...new Set(presented.alerts.map((a) => a.raisedBy))] } });
    return presented;
  }

  /**
   * Marks open cases past their deadline as escalated (once, even when runs overlap) and tells the college
   * leaders. The escalation is recorded as a milestone, not on the case: the case document is written only
   * when opened and when closed, so on FerretDB (which rewrites whole documents) no update can undo a close.
   */
  async escalateOverdue(actor: Actor, now: Date = new Date()) {
    assertCan(actor, 'cases:escalate');
    await this.ready();
    const overdue = await KeyCaseModel.find({ status: 'open', deadline: { $lt: now } });
    const colleges = [...new Map(overdue.map((c) => [String(c.college), c.college])).values()];
    const [students, owners, allLeaders] = await Promise.all([
      this.students.briefs(overdue.map((c) => c.student)),
      staffContacts(overdue.map((c) => c.owner)),
      collegeLeadersOf(colleges),
    ]);
    const escalated = [];
    for (const c of overdue) {
      if (!(await this.takeMilestone(c, 'escalated', actor, now))) continue; // escalated before, or by an overlapping run
      const leaders = allLeaders.get(String(c.college)) ?? [];
      const owner = owners.get(String(c.owner));
      // Each carries the student (name, number, class) and the responsible counselor, so a message can name them.
      const payload = {
        ...(await this.present(c)),
        ...students.get(String(c.student)),
        ownerName: owner?.displayName ?? null,
        ownerEmail: owner?.email ?? null,
        escalateTo: leaders,
      };
      await publishEvent({ type: 'case.overdue', college: c.college, payload });
      escalated.push(payload);
    }
    return escalated;
  }

  /** True for the one caller that takes this step; false when it was already taken. */
  private async takeMilestone(c: CaseDoc, milestone: CaseMilestone, actor: Actor, at = new Date()): Promise<boolean> {
    try {
      await CaseMilestoneModel.create({ _id: milestoneId(c._id, milestone), case: c._id, college: c.college, by: actor.userId, at });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}
