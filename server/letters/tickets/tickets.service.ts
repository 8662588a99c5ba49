import { Types, type UpdateQuery } from 'mongoose';
import { collegeDirectory, type CollegeRef } from '../../colleges/colleges.service';
import { problems } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { assertCan, assertMayWrite, can, isCollegeScoped, mayActForCollege, mayReadRecord, scopeFilter } from '../../identity/policy';
import { ROLE_PERMISSIONS, type Role } from '../../identity/roles';
import { UserModel } from '../../identity/user.model';
import { FamilyLetterModel } from '../family-letter.model';
import { FeedbackTicketModel, type FeedbackTicket } from '../feedback-ticket.model';
import { FEEDBACK_TOPIC_ZH, TICKET_STATE_ZH, type FeedbackTopic, type TicketState } from '../letter-vocabulary';
import { StaleRevision, TicketBusy, TicketClosed, TicketIncomplete } from './ticket-errors';

export type TicketRecord = FeedbackTicket & { _id: string };

const UNFINISHED: TicketState[] = ['open', 'responded'];
/** Unfinished tickets with a contact wish read at most for one counselor's tasks. */
const CONTACT_WISH_BOUND = 500;

export interface TicketQuery {
  campaign?: string;
  college?: string;
  state?: TicketState;
  owner?: string;
  overdue?: boolean;
  limit: number;
  after?: string;
}

interface StaffAct {
  text: string;
  by: Types.ObjectId;
  byName: string;
  at: Date;
}

/** What must still happen before a ticket may close: a response and a follow-through after the last reopening. */
export function missingForClose(ticket: Pick<TicketRecord, 'responses' | 'followThrough' | 'reopenings'>): Array<'response' | 'followThrough'> {
  const reopenings = ticket.reopenings ?? [];
  const since = reopenings.length ? new Date(reopenings[reopenings.length - 1]!.at).getTime() : -Infinity;
  const after = (acts: readonly StaffAct[] | undefined) => (acts ?? []).some((a) => new Date(a.at).getTime() > since);
  const missing: Array<'response' | 'followThrough'> = [];
  if (!after(ticket.responses as StaffAct[])) missing.push('response');
  if (!after(ticket.followThrough as StaffAct[])) missing.push('followThrough');
  return missing;
}

/** The list's position after a row: its due date and id (`<ms>.<id>`), the order the list is read in. */
const cursorOf = (t: { dueAt: Date; _id: string }) => `${new Date(t.dueAt).getTime()}.${t._id}`;

/**
 * B6 §4, the staff side of a parent's feedback: who sees which tickets (the `feedback` scope), answering
 * the parent, recording what was done, closing (有回应、有落实), handing a ticket to someone else. Every
 * change is one update guarded by the ticket's revision; a lost race is read again and tried once more.
 */
export class TicketsService {
  async list(actor: Actor, query: TicketQuery, now: Date = new Date()) {
    assertCan(actor, 'letters:read');
    const filter: Record<string, unknown> = { ...scopeFilter(actor, 'feedback') };
    if (query.campaign) filter.campaign = new Types.ObjectId(query.campaign);
    const directory = await collegeDirectory();
    if (query.college) {
      const college = directory.get(query.college);
      if (!college || (filter.college && !(filter.college as Types.ObjectId).equals(college._id))) return { items: [], total: 0, next: null };
      filter.college = college._id;
    }
    if (query.owner) {
      const owner = query.owner === 'me' ? actor.userId : new Types.ObjectId(query.owner);
      if (filter.owner && !(filter.owner as Types.ObjectId).equals(owner)) return { items: [], total: 0, next: null };
      filter.owner = owner;
    }
    if (query.overdue) {
      if (query.state && query.state !== 'open') return { items: [], total: 0, next: null };
      filter.state = 'open';
      filter.dueAt = { $lt: now };
    } else if (query.state) filter.state = query.state;
    const page: Record<string, unknown> = { ...filter };
    if (query.after) {
      const dot = query.after.indexOf('.');
      const at = new Date(Number(query.after.slice(0, dot)));
      const id = query.after.slice(dot + 1);
      const dueAt = (filter.dueAt as Record<string, unknown> | undefined) ?? {};
      page.$or = [{ dueAt: { ...dueAt, $gt: at } }, { dueAt: at, _id: { $gt: id } }];
      delete page.dueAt;
    }
    const [items, total] = await Promise.all([
      FeedbackTicketModel.find(page).sort({ dueAt: 1, _id: 1 }).limit(query.limit).lean() as Promise<TicketRecord[]>,
      FeedbackTicketModel.countDocuments(filter),
    ]);
    return {
      items: items.map((t) => this.present(actor, t, directory, now)),
      total,
      next: items.length === query.limit ? cursorOf(items[items.length - 1]!) : null,
    };
  }

  /** One ticket in the caller's scope (out of scope: 404, so ids cannot be probed). */
  async find(actor: Actor, id: string): Promise<TicketRecord> {
    assertCan(actor, 'letters:read');
    const ticket = (await FeedbackTicketModel.findById(id).lean()) as TicketRecord | null;
    if (!ticket || !mayReadRecord(actor, 'feedback', ticket)) throw problems.notFound('Feedback ticket', '反馈工单');
    return ticket;
  }

  /**
   * The ticket with the family's greeting (whose parent wrote), as the ticket page shows it, and its owner's
   * e-mail address (null: none on record), where the notice of a new feedback goes.
   */
  async presentOne(actor: Actor, ticket: TicketRecord, now: Date = new Date()) {
    const [directory, letter, owner] = await Promise.all([
      collegeDirectory(),
      FamilyLetterModel.findById(ticket.letter).select('greeting students').lean(),
      UserModel.findById(ticket.owner).select('email').lean<{ email?: string | null } | null>(),
    ]);
    const family = letter as { greeting?: string; students?: Types.ObjectId[] } | null;
    const presented = this.present(actor, ticket, directory, now);
    return {
      ...presented,
      owner: { ...presented.owner, email: owner?.email ?? null },
      greeting: family?.greeting ?? null,
      student: family?.students?.[0] ? String(family.students[0]) : null,
    };
  }

  async respond(actor: Actor, id: string, text: string, expected?: number) {
    assertCan(actor, 'feedback:respond');
    return this.change(actor, id, expected, (ticket) => {
      if (ticket.state === 'closed') throw new TicketClosed();
      return { $push: { responses: this.act(actor, text) }, $set: { state: 'responded' } };
    });
  }

  async followThrough(actor: Actor, id: string, text: string, expected?: number) {
    assertCan(actor, 'feedback:respond');
    // The family's counselor records what they did too (the call a parent asked for), without owning the ticket.
    const counselorOrWriter = (ticket: TicketRecord) => {
      if (!ticket.counselor?.equals(actor.userId)) assertMayWrite(actor, 'feedback', ticket, 'feedback ticket', '反馈工单');
    };
    return this.change(
      actor,
      id,
      expected,
      (ticket) => {
        if (ticket.state === 'closed') throw new TicketClosed();
        return { $push: { followThrough: this.act(actor, text) } };
      },
      counselorOrWriter,
    );
  }

  /** Closed once: closing a closed ticket again (a retry, a second click) answers it unchanged. */
  async close(actor: Actor, id: string, expected?: number) {
    assertCan(actor, 'feedback:respond');
    return this.change(actor, id, expected, (ticket) => {
      if (ticket.state === 'closed') return null;
      const missing = missingForClose(ticket);
      if (missing.length) throw new TicketIncomplete(missing, (ticket.reopenings ?? []).length > 0);
      return { $set: { state: 'closed', closedAt: new Date(), closedBy: actor.userId } };
    });
  }

  /** Hand the ticket to another active staff member who may answer it (letters:manage, or a leader of its college). */
  async reassign(actor: Actor, id: string, ownerRef: string, expected?: number) {
    const owner = await this.staffMember(ownerRef);
    return this.change(
      actor,
      id,
      expected,
      (ticket) => {
        if (ticket.state === 'closed') throw new TicketClosed();
        const problem = owner ? ownerProblem(owner, ticket.college) : { zh: '不是在职教职工', en: 'is not an active staff member' };
        if (problem) throw problems.validation([{ path: 'owner', message: `负责人${problem.zh}`, messageEn: `the owner ${problem.en}`, rule: 'owner' }]);
        if (owner!._id.equals(ticket.owner)) return null;
        return { $set: { owner: owner!._id, ownerName: owner!.displayName, routedBy: 'reassigned', remindedAt: null } };
      },
      (ticket) => {
        if (!can(actor, 'letters:manage') && !(actor.role === 'collegeLeader' && mayActForCollege(actor, ticket.college))) {
          throw problems.forbidden('Only letter managers or the college’s leaders reassign feedback', '只有信件管理员或本院系领导可以改派反馈');
        }
      },
    );
  }

  /**
   * My tasks: the actor's own tickets still to answer or to follow through and close, earliest due first
   * (index `owner, state, dueAt`), with the first student of each family (one read of their letters).
   */
  async ownedUnfinished(actor: Actor, limit: number) {
    const filter = { owner: actor.userId, state: { $in: UNFINISHED } };
    const [items, total] = await Promise.all([
      FeedbackTicketModel.find(filter).sort({ dueAt: 1, _id: 1 }).limit(limit).select('-text').lean() as Promise<TicketRecord[]>,
      FeedbackTicketModel.countDocuments(filter),
    ]);
    return { items, total, students: await this.firstStudents(items) };
  }

  /**
   * My tasks (B1): parents who asked to be contacted (家长希望联系) on a ticket of a family the actor looks
   * after, one per feedback sent (its topics' tickets together, earliest due first), until the actor records
   * a follow-through on one of them (the call) or they close (index `counselor, state, dueAt`).
   */
  async contactWishesFor(actor: Actor, limit: number) {
    // Whether the counselor has recorded a follow-through is decided here: not every engine matches `$ne` inside arrays of documents.
    const found = (await FeedbackTicketModel.find({ counselor: actor.userId, state: { $in: UNFINISHED }, 'contactWish.wanted': true })
      .sort({ dueAt: 1, _id: 1 })
      .limit(CONTACT_WISH_BOUND)
      .select('-text')
      .lean()) as TicketRecord[];
    // One wish per feedback sent (its tickets share `<letter>:<submission>`): one call answers it, whichever ticket records it.
    const bySubmission = new Map<string, TicketRecord[]>();
    for (const t of found) {
      const key = t._id.slice(0, t._id.lastIndexOf(':'));
      bySubmission.set(key, [...(bySubmission.get(key) ?? []), t]);
    }
    const called = (t: TicketRecord) => (t.followThrough as StaffAct[]).some((f) => f.by.equals(actor.userId));
    const waiting = [...bySubmission.entries()].filter(([, tickets]) => !tickets.some(called)).map(([submission, tickets]) => ({ submission, tickets }));
    const items = waiting.slice(0, limit);
    return { items, total: waiting.length, students: await this.firstStudents(items.map((w) => w.tickets[0]!)) };
  }

  private async firstStudents(tickets: readonly TicketRecord[]): Promise<Map<string, Types.ObjectId>> {
    const letters = [...new Set(tickets.map((t) => t.letter))];
    if (!letters.length) return new Map();
    const found = await FamilyLetterModel.find({ _id: { $in: letters } }).select('students').limit(letters.length).lean();
    return new Map(found.filter((l) => l.students?.length).map((l) => [String(l._id), l.students[0] as Types.ObjectId]));
  }

  private async staffMember(ref: string) {
    const filter = /^[0-9a-f]{24}$/.test(ref) ? { _id: new Types.ObjectId(ref) } : { username: ref.toLowerCase() };
    return UserModel.findOne({ ...filter, active: true }).select('displayName role college').lean<{ _id: Types.ObjectId; displayName: string; role: Role; college?: Types.ObjectId | null } | null>();
  }

  private act(actor: Actor, text: string): StaffAct {
    return { text, by: actor.userId, byName: actor.displayName, at: new Date() };
  }

  /**
   * Reads the ticket, checks who may act (the owner, a leader of its college, a school-wide role), builds the
   * update from what it read and writes it only if the revision is still the one read; a change made in
   * between is read again once (without If-Match) — with If-Match the caller's revision is stale: 412.
   * `build` answering null changes nothing.
   */
  private async change(actor: Actor, id: string, expected: number | undefined, build: (ticket: TicketRecord) => UpdateQuery<TicketRecord> | null, authorize?: (ticket: TicketRecord) => void) {
    for (let attempt = 0; attempt < 2; attempt++) {
      const read = await this.find(actor, id);
      const ticket = authorize ? (authorize(read), read) : (assertMayWrite(actor, 'feedback', read, 'feedback ticket', '反馈工单') as TicketRecord);
      if (expected !== undefined && ticket.revision !== expected) throw new StaleRevision('ticket', expected);
      const update = build(ticket);
      if (!update) return ticket;
      const changed = (await FeedbackTicketModel.findOneAndUpdate({ _id: ticket._id, revision: ticket.revision }, { ...update, $inc: { revision: 1 } }, { returnDocument: 'after' }).lean()) as TicketRecord | null;
      if (changed) return changed;
      if (expected !== undefined) throw new StaleRevision('ticket', expected);
    }
    throw new TicketBusy();
  }

  present(actor: Actor, t: TicketRecord, directory: Map<string, CollegeRef>, now: Date = new Date()) {
    const college = directory.get(String(t.college));
    const acts = (list: readonly StaffAct[] | undefined) => (list ?? []).map((a) => ({ text: a.text, by: String(a.by), byName: a.byName, at: a.at }));
    const missing = t.state === 'closed' ? [] : missingForClose(t);
    const mayChange = t.state !== 'closed' && can(actor, 'feedback:respond') && mayReadRecord(actor, 'feedback', t) && (!isCollegeScoped(actor) || actor.role === 'collegeLeader' || t.owner.equals(actor.userId));
    return {
      id: t._id,
      campaign: String(t.campaign),
      letter: t.letter,
      college: { id: String(t.college), code: college?.code ?? null, name: college?.name ?? null },
      counselor: t.counselor ? String(t.counselor) : null,
      topic: t.topic,
      topicLabel: FEEDBACK_TOPIC_ZH[t.topic as FeedbackTopic],
      text: t.text,
      contactWish: t.contactWish?.wanted ? { wanted: true, phone: t.contactWish.phone ?? null, when: t.contactWish.when ?? null } : { wanted: false },
      owner: { id: String(t.owner), name: t.ownerName },
      routedBy: t.routedBy,
      receivedAt: t.receivedAt,
      dueAt: t.dueAt,
      overdue: t.state === 'open' && new Date(t.dueAt) < now,
      state: t.state,
      stateLabel: TICKET_STATE_ZH[t.state as TicketState],
      responses: acts(t.responses as StaffAct[]),
      followThrough: acts(t.followThrough as StaffAct[]),
      reopenings: (t.reopenings ?? []).map((r) => ({ reason: r.reason, at: r.at })),
      closedAt: t.closedAt ?? null,
      closedBy: t.closedBy ? String(t.closedBy) : null,
      remindedAt: t.remindedAt ?? null,
      escalatedAt: t.escalatedAt ?? null,
      missing,
      canAct: mayChange,
      canClose: mayChange && missing.length === 0,
      revision: t.revision,
    };
  }
}

/** Why this person cannot own feedback of this college (null: they can). */
export function ownerProblem(user: { role: Role; college?: Types.ObjectId | null }, college: Types.ObjectId | null | undefined): { zh: string; en: string } | null {
  if (!ROLE_PERMISSIONS[user.role]?.includes('feedback:respond')) return { zh: '的角色不能回复家长反馈', en: 'has a role that cannot respond to feedback' };
  if (user.role === 'admin' || user.role === 'studentAffairs') return null;
  if (!college) return { zh: '属于某个学院，只能负责该学院的反馈（请同时选择学院）', en: 'belongs to one college and can only own that college’s feedback (name the college)' };
  if (!user.college || !user.college.equals(college)) return { zh: '不属于该学院，看不到该学院的反馈', en: 'is not of that college and cannot see its feedback' };
  return null;
}
