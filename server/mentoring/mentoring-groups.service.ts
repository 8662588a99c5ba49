import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { ZONE } from '../calendar/academic-calendar';
import { collegeDirectory, type CollegeRef } from '../colleges/colleges.service';
import { commitClaimedWrite } from '../db/revision-claims';
import { isDuplicateKey } from '../db/duplicate-key';
import { publishEvent } from '../events/event-bus';
import { problems } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan, assertMayRead, can, isCollegeScoped, mayActForCollege, mayReadRecord, scopeFilter, sensitiveReadNeedsReason } from '../identity/policy';
import { deciderFor } from '../identity/relayed-decision';
import { ROLES, type Role } from '../identity/roles';
import { UserModel } from '../identity/user.model';
import { StudentModel } from '../students/student.model';
import { counselorsOfMajor } from '../students/directory/counselors-by-major';
import type { StudentsService } from '../students/students.service';
import { claimStudent, releaseStudent, studentClaim } from './mentoring-claims';
import {
  GroupClosedError, GroupExistsError, GroupLeaderError, GroupRevisionConflict, GroupRevisionRequired, GroupSizeError, GroupStateError, MemberInvalidError, MemberOutsideCollegeError, OutcomeIncompleteError, StudentNotSpecialError,
} from './mentoring-errors';
import { MentoringActivityModel, MentoringGroupModel, MentoringGroupRevisionModel, type MentoringActivityRecord, type MentoringGroupRecord } from './mentoring-group.model';
import {
  ACTIVITY_KIND_ZH, EMPLOYMENT_ZH, GROUP_MAX, GROUP_MIN, GROUP_STATE_ZH, MEMBER_ROLE_ZH, MENTOR_ROLES, NEED_AREA_ZH, OPEN_STATES, OUTCOME_ZH,
  type ActivityKind, type Employment, type GroupState, type MemberRole, type NeedArea, type Outcome,
} from './mentoring-vocabulary';

const WEEK_MS = 7 * 86_400_000;
/** The words of a change that a state reached meanwhile refuses (GROUP_STATE). */
const STATE_ACTIONS: Record<string, [string, string]> = { approve: ['approved', '批准'], reject: ['rejected', '驳回'], members: ['changed', '调整成员'], close: ['closed', '结束帮扶'] };
/** A claim older than this whose group never landed (the writer died in between) is given up. */
const ORPHANED_CLAIM_MS = 60_000;
/** Bounds of reads that are not paged: a college's mentoring staff, the silent groups of one list. */
const STAFF_BOUND = 1_000;
const INACTIVE_BOUND = 500;

export interface MentoringSettings {
  crossCollegeMembers: boolean;
  inactiveWeeks: number;
  publicUrl?: string;
}

export interface ProposalInput {
  student: string;
  members: Array<{ user: string; employment: Employment; role: MemberRole }>;
  needs: Array<{ area: NeedArea; note?: string }>;
  plan: string;
}

export interface MemberChangeInput {
  add?: Array<{ user: string; employment: Employment }>;
  remove?: string[];
  leader?: string;
  reason: string;
}

export interface ActivityInput {
  at: string;
  kind: ActivityKind;
  areas: NeedArea[];
  summary: string;
  nextStep?: string;
}

export interface OutcomeInput {
  kind: Outcome;
  employer?: string;
  date?: string;
  reason?: string;
  note?: string;
}

export interface GroupQuery {
  state?: GroupState;
  college?: string;
  member?: string;
  student?: string;
  inactive?: boolean;
  limit: number;
  after?: string;
}

interface StaffUser {
  _id: Types.ObjectId;
  displayName: string;
  email?: string | null;
  role: Role;
  college?: Types.ObjectId | null;
  active?: boolean;
}

interface Member {
  user: Types.ObjectId;
  name: string;
  email?: string | null;
  college?: Types.ObjectId | null;
  employment: string;
  role: string;
  since: Date;
}

const userRef = (ref: string) => (/^[0-9a-f]{24}$/.test(ref) ? { _id: new Types.ObjectId(ref) } : { username: ref.toLowerCase() });
const isObjectId = (value: string) => /^[0-9a-f]{24}$/.test(value);

/**
 * Mentoring groups (C1–C2): proposing a group of 3–5 teachers with one leader for a special student, the
 * college leader's approval, member changes that keep the rules, the activity log, closing with an outcome.
 * A group changes only through `commitClaimedWrite` (one writer per revision); the activity count and the
 * last activity are raised with `$inc` / `$max` by `_id`, never read-modify-written.
 */
export class MentoringGroupsService {
  constructor(
    private readonly students: StudentsService,
    private readonly settings: MentoringSettings,
  ) {}

  get inactiveWeeks(): number {
    return this.settings.inactiveWeeks;
  }

  private link(id: Types.ObjectId | string): string {
    return `${this.settings.publicUrl ?? ''}/mentoring/${String(id)}`;
  }

  // ---- reading ----

  async load(id: string | Types.ObjectId): Promise<MentoringGroupRecord | null> {
    return MentoringGroupModel.findById(id).lean<MentoringGroupRecord | null>();
  }

  /** One group in the caller's scope; out of scope answers 404 like a group that does not exist. */
  async find(actor: Actor, id: string): Promise<MentoringGroupRecord> {
    const group = isObjectId(id) ? await this.load(id) : null;
    // A member from another college (HSB_MENTORING_CROSS_COLLEGE) reads the group they belong to.
    if (group && isMember(actor, group)) return group;
    return assertMayRead(actor, 'mentoringGroup', group, 'Mentoring group', '帮扶小组');
  }

  async list(actor: Actor, query: GroupQuery, now: Date = new Date()) {
    // One's own groups (`member=me`) are one's to read, whichever college they belong to (a member from another college).
    const filter: Record<string, unknown> = query.member === 'me' ? { 'members.user': actor.userId } : { ...scopeFilter(actor, 'mentoringGroup') };
    const none = { items: [], total: 0, next: null };
    if (query.college) {
      const college = (await collegeDirectory()).get(query.college);
      if (!college || (filter.college && !(filter.college as Types.ObjectId).equals(college._id))) return none;
      filter.college = college._id;
    }
    if (query.member && query.member !== 'me') filter['members.user'] = new Types.ObjectId(query.member);
    if (query.student) filter.student = new Types.ObjectId(query.student);
    if (query.inactive) {
      if (query.state && query.state !== 'active') return none;
      filter.state = 'active';
      filter.lastActivityAt = { $lt: this.silentSince(now) };
    } else if (query.state) filter.state = query.state;
    const page = query.after ? { ...filter, _id: { $lt: new Types.ObjectId(query.after) } } : filter;
    const [items, total, directory] = await Promise.all([
      MentoringGroupModel.find(page).sort({ _id: -1 }).limit(query.limit).lean<MentoringGroupRecord[]>(),
      MentoringGroupModel.countDocuments(filter),
      collegeDirectory(),
    ]);
    return { items: items.map((g) => this.present(g, directory, now)), total, next: items.length === query.limit ? String(items[items.length - 1]!._id) : null };
  }

  silentSince(now: Date): Date {
    return new Date(now.getTime() - this.settings.inactiveWeeks * WEEK_MS);
  }

  /** Active groups of the caller's scope with no activity for the configured weeks, longest silent first. */
  async inactive(actor: Actor, now: Date = new Date()) {
    const groups = await MentoringGroupModel.find({ ...scopeFilter(actor, 'mentoringGroup'), state: 'active', lastActivityAt: { $lt: this.silentSince(now) } })
      .sort({ lastActivityAt: 1 })
      .limit(INACTIVE_BOUND)
      .lean<MentoringGroupRecord[]>();
    const directory = await collegeDirectory();
    return { items: groups.map((g) => ({ ...this.present(g, directory, now), leader: leaderOf(g), weeksSilent: weeksSilent(g, now) })), weeks: this.settings.inactiveWeeks };
  }

  /**
   * Who may be a member, least loaded first (C1): active staff of teaching roles of the student's college
   * (every college with the cross-college setting), their load the proposed and active groups they are in.
   */
  async suggestions(actor: Actor, studentRef: string) {
    assertCan(actor, 'mentoring:propose');
    const student = await this.students.findReferable(actor, studentRef);
    const staffFilter: Record<string, unknown> = { role: { $in: MENTOR_ROLES }, active: true };
    if (!this.settings.crossCollegeMembers) staffFilter.college = student.college;
    const staff = await UserModel.find(staffFilter).select('displayName role college email').limit(STAFF_BOUND).lean<StaffUser[]>();
    const ids = staff.map((s) => s._id);
    const [groups, counselors, directory] = await Promise.all([
      ids.length ? MentoringGroupModel.find({ 'members.user': { $in: ids }, state: { $in: OPEN_STATES } }).select('members.user').limit(STAFF_BOUND * GROUP_MAX).lean<Array<{ members: Array<{ user: Types.ObjectId }> }>>() : [],
      counselorsOfMajor(student.college, student.major),
      collegeDirectory(),
    ]);
    const load = new Map<string, number>();
    for (const g of groups) for (const m of g.members) load.set(String(m.user), (load.get(String(m.user)) ?? 0) + 1);
    const sameMajor = counselors;
    const items = staff
      .map((s) => ({
        userId: String(s._id),
        name: s.displayName,
        role: s.role,
        roleLabel: ROLES[s.role]?.zh ?? s.role,
        college: s.college ? collegeOf(directory, s.college) : null,
        sameMajor: sameMajor.has(String(s._id)),
        load: load.get(String(s._id)) ?? 0,
      }))
      .sort((a, b) => a.load - b.load || Number(b.sameMajor) - Number(a.sameMajor) || a.name.localeCompare(b.name, 'zh-CN'))
      .slice(0, 50);
    return {
      student: { id: String(student._id), name: student.name, studentNo: student.studentNo, college: collegeOf(directory, student.college), major: student.major, careTier: student.careTier },
      items,
    };
  }

  // ---- proposing and deciding ----

  async propose(actor: Actor, input: ProposalInput, now: Date = new Date(), id: Types.ObjectId = new Types.ObjectId()): Promise<MentoringGroupRecord> {
    assertCan(actor, 'mentoring:propose');
    const student = await this.students.findReferable(actor, input.student);
    if (student.careTier !== 'special' && !(student.specialCategories ?? []).length) throw new StudentNotSpecialError(student.name);
    const members = await this.resolveMembers(input.members.map((m, i) => ({ ...m, path: `members[${i}].user` })), student.college, now);
    checkRules(members);
    const groupId = id;
    if (!(await claimStudent(student._id, groupId, now))) {
      // The same proposal sent again (a form submission retried): the group it made is the answer.
      const made = (await studentClaim(student._id))?.group?.equals(groupId) ? await this.load(groupId) : null;
      if (made) return made;
      if (!(await this.releaseStaleClaim(student._id, now)) || !(await claimStudent(student._id, groupId, now))) {
        throw new GroupExistsError((await studentClaim(student._id))?.group?.toString());
      }
    }
    const set = {
      state: 'proposed', student: student._id, studentName: student.name, studentNo: student.studentNo, major: student.major, grade: student.grade, college: student.college,
      needs: input.needs.map((n) => ({ area: n.area, note: n.note ?? '' })), plan: input.plan, members,
      memberHistory: members.map((m) => ({ at: now, by: actor.userId, byName: actor.displayName, change: 'added', userId: m.user, name: m.name, reason: '组建小组' })),
      proposedBy: actor.userId, proposedByName: actor.displayName, proposedAt: now, activityCount: 0,
    };
    try {
      await commitClaimedWrite(MentoringGroupRevisionModel, MentoringGroupModel as never, actor, { id: String(groupId), college: student.college, revision: 0, action: 'propose', set }, () => new GroupExistsError(String(groupId)), now);
    } catch (error) {
      await releaseStudent(student._id, groupId).catch(() => undefined);
      throw error;
    }
    const group = (await this.load(groupId))!;
    const approvers = await UserModel.find({ college: student.college, role: 'collegeLeader', active: true }).select('displayName email').limit(50).lean<StaffUser[]>();
    await publishEvent({
      type: 'mentoring.proposed',
      college: group.college,
      owner: leaderOf(group)?.userId ? new Types.ObjectId(leaderOf(group)!.userId) : undefined,
      payload: {
        groupId: String(group._id), studentId: String(student._id), studentName: student.name, studentNo: student.studentNo, collegeId: String(group.college),
        leader: leaderOf(group), approvers: approvers.map((a) => ({ userId: String(a._id), name: a.displayName, email: a.email ?? null })), link: this.link(group._id),
      },
    });
    return group;
  }

  /** A claim whose group was rejected or closed (the release was lost), or never written, frees the student. */
  private async releaseStaleClaim(student: Types.ObjectId, now: Date): Promise<boolean> {
    const claim = await studentClaim(student);
    if (!claim) return true;
    const group = await MentoringGroupModel.findById(claim.group).select('state').lean<{ state: GroupState } | null>();
    const stale = group ? !OPEN_STATES.includes(group.state) : now.getTime() - new Date(claim.at).getTime() > ORPHANED_CLAIM_MS;
    if (!stale) return false;
    await releaseStudent(student, claim.group);
    return true;
  }

  /** `onBehalfOf`: the approver who answered outside the service, recorded by a key with mentoring:relay (see deciderFor). */
  async approve(requester: Actor, id: string, expected?: number, onBehalfOf?: string) {
    const actor = await deciderFor(requester, onBehalfOf, 'mentoring:relay');
    const group = await this.decidable(actor, id, 'approved', '批准');
    const now = new Date();
    const updated = await this.write(actor, group, expected, 'approve', { state: 'active', approvedBy: actor.userId, approvedByName: actor.displayName, approvedAt: now, lastActivityAt: now }, now);
    await publishEvent({
      type: 'mentoring.formed',
      college: updated.college,
      owner: leaderOf(updated) ? new Types.ObjectId(leaderOf(updated)!.userId) : undefined,
      payload: { groupId: String(updated._id), studentId: String(updated.student), studentName: updated.studentName, collegeId: String(updated.college), leader: leaderOf(updated), members: presentMembers(updated.members as Member[]), approvedBy: { userId: String(actor.userId), name: actor.displayName }, link: this.link(updated._id) },
    });
    return updated;
  }

  async reject(requester: Actor, id: string, reason: string, expected?: number, onBehalfOf?: string) {
    const actor = await deciderFor(requester, onBehalfOf, 'mentoring:relay');
    const group = await this.decidable(actor, id, 'rejected', '驳回');
    const now = new Date();
    const updated = await this.write(actor, group, expected, 'reject', { state: 'rejected', rejection: { reason, by: actor.userId, byName: actor.displayName, at: now } }, now);
    await releaseStudent(updated.student, updated._id);
    return updated;
  }

  /** Approving and rejecting: the college's leader (its own college) or a school-wide role, only a proposed group. */
  private async decidable(actor: Actor, id: string, action: string, actionZh: string) {
    assertCan(actor, 'mentoring:approve');
    const group = await this.find(actor, id);
    if (!mayActForCollege(actor, group.college) || (isCollegeScoped(actor) && actor.role !== 'collegeLeader')) {
      throw problems.forbidden('Only the college’s leader or student affairs decide on a mentoring group', '只有本院系领导或学工部可以审批帮扶小组');
    }
    if (group.state !== 'proposed') throw new GroupStateError(group.state as GroupState, action, actionZh);
    return group;
  }

  /** Who changes a group (members, closing): the college's proposers (counselor, leader) or a school role, and the group's leader. */
  private mayManage(actor: Actor, group: MentoringGroupRecord): boolean {
    if (group.members.some((m) => m.role === 'leader' && m.user.equals(actor.userId))) return true;
    return can(actor, 'mentoring:propose') && mayActForCollege(actor, group.college) && mayReadRecord(actor, 'mentoringGroup', group);
  }

  private async write(actor: Actor, group: MentoringGroupRecord, expected: number | undefined, action: string, set: Record<string, unknown>, now: Date): Promise<MentoringGroupRecord> {
    if (expected !== undefined && expected !== group.revision) throw new GroupRevisionConflict(expected);
    try {
      await commitClaimedWrite(MentoringGroupRevisionModel, MentoringGroupModel as never, actor, { id: String(group._id), college: group.college, revision: group.revision, action, set }, () => new GroupRevisionConflict(expected ?? group.revision), now);
    } catch (error) {
      // Lost to a decision made at the same moment (approve against reject, close against close): say what the group is now.
      const current = error instanceof GroupRevisionConflict ? await this.load(group._id) : null;
      if (current && current.state !== group.state && STATE_ACTIONS[action]) throw new GroupStateError(current.state as GroupState, ...STATE_ACTIONS[action]!);
      throw error;
    }
    return (await this.load(group._id))!;
  }

  // ---- members ----

  async changeMembers(actor: Actor, id: string, change: MemberChangeInput, expected: number | undefined) {
    if (expected === undefined) throw new GroupRevisionRequired();
    const group = await this.find(actor, id);
    if (!this.mayManage(actor, group)) throw problems.forbidden('Only the group’s leader or the college’s counselors and leaders change its members', '只有组长或本院辅导员、院系领导可以调整小组成员');
    if (!OPEN_STATES.includes(group.state as GroupState)) throw new GroupStateError(group.state as GroupState, 'changed', '调整成员');
    if (expected !== group.revision) throw new GroupRevisionConflict(expected);
    const now = new Date();
    const history: Array<Record<string, unknown>> = [];
    const note = (changeKind: string, user: Types.ObjectId, name: string) => history.push({ at: now, by: actor.userId, byName: actor.displayName, change: changeKind, userId: user, name, reason: change.reason });
    let members: Member[] = (group.members as Member[]).map((m) => ({ ...m }));
    for (const [i, ref] of (change.remove ?? []).entries()) {
      const found = members.find((m) => String(m.user) === ref);
      if (!found) throw new MemberInvalidError(`remove[${i}]`, '不在小组中', 'is not in the group');
      members = members.filter((m) => m !== found);
      note('removed', found.user, found.name);
    }
    const added = await this.resolveMembers((change.add ?? []).map((a, i) => ({ ...a, role: 'member' as MemberRole, path: `add[${i}].user` })), group.college, now);
    for (const [i, m] of added.entries()) {
      if (members.some((existing) => existing.user.equals(m.user))) throw new MemberInvalidError(`add[${i}].user`, `${m.name}已在小组中`, `${m.name} is already in the group`);
      members.push(m);
      note('added', m.user, m.name);
    }
    if (change.leader) {
      const next = members.find((m) => String(m.user) === change.leader);
      if (!next) throw new MemberInvalidError('leader', '须为小组成员', 'must be a member of the group');
      if (next.role !== 'leader') {
        members = members.map((m) => ({ ...m, role: m === next ? 'leader' : 'member' }));
        note('leader', next.user, next.name);
      }
    }
    checkRules(members);
    if (!history.length) return group;
    return this.write(actor, group, expected, 'members', { members, memberHistory: [...group.memberHistory, ...history] }, now);
  }

  /** Staff named as members: known, active, of a teaching role, each once, of the student's college (unless the setting). */
  private async resolveMembers(given: Array<{ user: string; employment: Employment; role: MemberRole; path: string }>, college: Types.ObjectId, now: Date): Promise<Member[]> {
    if (!given.length) return [];
    const refs = given.map((g) => userRef(g.user));
    const users = await UserModel.find({ $or: refs }).select('username displayName email role college active').limit(given.length).lean<Array<StaffUser & { username: string }>>();
    const seen = new Set<string>();
    return given.map((g) => {
      const user = users.find((u) => (isObjectId(g.user) ? String(u._id) === g.user : u.username === g.user.toLowerCase()));
      if (!user) throw new MemberInvalidError(g.path, `“${g.user}”不存在`, `"${g.user}" does not exist`);
      if (user.active === false) throw new MemberInvalidError(g.path, `${user.displayName}已停用`, `${user.displayName} is no longer active`);
      if (!(MENTOR_ROLES as readonly string[]).includes(user.role)) throw new MemberInvalidError(g.path, `${user.displayName}不是任课或学工教师`, `${user.displayName} is not of a teaching role`);
      if (seen.has(String(user._id))) throw new MemberInvalidError(g.path, `${user.displayName}重复`, `${user.displayName} is named twice`);
      seen.add(String(user._id));
      if (!this.settings.crossCollegeMembers && !(user.college && user.college.equals(college))) throw new MemberOutsideCollegeError(g.path, user.displayName);
      return { user: user._id, name: user.displayName, email: user.email ?? undefined, college: user.college ?? undefined, employment: g.employment, role: g.role, since: now } as Member;
    });
  }

  // ---- activities ----

  async logActivity(actor: Actor, id: string, input: ActivityInput, activityId: Types.ObjectId = new Types.ObjectId()): Promise<{ activity: MentoringActivityRecord; created: boolean }> {
    assertCan(actor, 'mentoring:log');
    const group = await this.find(actor, id);
    const member = group.members.some((m) => m.user.equals(actor.userId));
    const collegeStaff = isCollegeScoped(actor) ? (actor.role === 'counselor' || actor.role === 'collegeLeader') && mayActForCollege(actor, group.college) : true;
    if (!member && !collegeStaff) throw problems.forbidden('Activities are logged by the group’s members, the college’s counselors and leaders', '只有小组成员、本院辅导员和院系领导可以记录帮扶活动');
    if (group.state !== 'active') throw new GroupClosedError(group.state as GroupState);
    const at = new Date(input.at);
    // A moment in the future would keep the group from ever counting as silent.
    if (at.getTime() > Date.now() + 86_400_000) throw problems.validation([{ path: 'at', message: '活动时间不能晚于明天', messageEn: 'the activity cannot be later than tomorrow', rule: 'maxDate' }]);
    const doc = { _id: activityId, group: group._id, college: group.college, at, kind: input.kind, areas: [...new Set(input.areas)], summary: input.summary, nextStep: input.nextStep ?? '', by: actor.userId, byName: actor.displayName };
    try {
      await MentoringActivityModel.create(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // The same form submission sent again: its activity is already logged and counted.
      return { activity: (await MentoringActivityModel.findById(activityId).lean<MentoringActivityRecord>())!, created: false };
    }
    // Counted once per activity, and only while the group is still active (closing may have come in between).
    const counted = await MentoringGroupModel.updateOne({ _id: group._id, state: 'active' }, { $inc: { activityCount: 1 }, $max: { lastActivityAt: at } });
    if (counted.matchedCount === 0) {
      await MentoringActivityModel.deleteOne({ _id: activityId });
      throw new GroupClosedError(((await this.load(group._id))?.state ?? 'closed') as GroupState);
    }
    return { activity: (await MentoringActivityModel.findById(activityId).lean<MentoringActivityRecord>())!, created: true };
  }

  /** Takes back a group proposed by a form submission that could not be kept (still proposed only), freeing its student. */
  async discardProposal(groupId: Types.ObjectId): Promise<void> {
    const group = await MentoringGroupModel.findById(groupId).select('state student').lean<{ state: GroupState; student: Types.ObjectId } | null>();
    if (!group || group.state !== 'proposed') return;
    await MentoringGroupModel.deleteOne({ _id: groupId, state: 'proposed' });
    await releaseStudent(group.student, groupId);
  }

  /** Discards the activity a form submission logged, when the submission itself could not be kept. */
  async discardActivity(activityId: Types.ObjectId): Promise<void> {
    const activity = await MentoringActivityModel.findById(activityId).select('group').lean<{ group: Types.ObjectId } | null>();
    if (!activity) return;
    const removed = await MentoringActivityModel.deleteOne({ _id: activityId });
    if (removed.deletedCount) await MentoringGroupModel.updateOne({ _id: activity.group }, { $inc: { activityCount: -1 } });
  }

  /** A group's log, newest first, paged by `_id`; readable after the group closed. */
  async activities(actor: Actor, id: string, limit: number, after?: string) {
    const group = await this.find(actor, id);
    const filter: Record<string, unknown> = { group: group._id };
    if (after) filter._id = { $lt: new Types.ObjectId(after) };
    const items = await MentoringActivityModel.find(filter).sort({ _id: -1 }).limit(limit).lean<MentoringActivityRecord[]>();
    return { items: items.map(presentActivity), total: group.activityCount ?? 0, next: items.length === limit ? String(items[items.length - 1]!._id) : null };
  }

  // ---- closing ----

  async close(actor: Actor, id: string, outcome: OutcomeInput, expected?: number) {
    const group = await this.find(actor, id);
    if (!this.mayManage(actor, group)) throw problems.forbidden('Only the group’s leader or the college’s counselors and leaders close it', '只有组长或本院辅导员、院系领导可以结束帮扶');
    if (group.state !== 'active') throw new GroupStateError(group.state as GroupState, 'closed', '结束帮扶');
    const missing: Array<{ field: string; zh: string; en: string }> = [];
    if (outcome.kind === 'employed') {
      if (!outcome.employer?.trim()) missing.push({ field: 'employer', zh: '就业单位', en: 'the employer' });
      if (!outcome.date) missing.push({ field: 'date', zh: '就业日期', en: 'the date' });
    }
    if (outcome.kind === 'other' && !outcome.reason?.trim()) missing.push({ field: 'reason', zh: '结束原因', en: 'the reason' });
    if (missing.length) throw new OutcomeIncompleteError(missing);
    if (outcome.date) {
      // A day from the group's proposal to a year ahead (a signed job that starts later); anything else is a typing slip.
      const first = DateTime.fromJSDate(new Date(group.proposedAt)).setZone(ZONE).toISODate()!;
      const last = DateTime.now().setZone(ZONE).plus({ years: 1 }).toISODate()!;
      if (outcome.date < first || outcome.date > last) {
        throw problems.validation([{ path: 'outcome.date', message: `日期须在 ${first} 至 ${last} 之间（不早于小组提出之日，不晚于一年后）`, messageEn: `the date must be between ${first} and ${last} (not before the group was proposed, at most a year ahead)`, rule: 'range' }]);
      }
    }
    const now = new Date();
    const stored = { kind: outcome.kind, employer: outcome.employer?.trim() || undefined, date: outcome.date ? new Date(outcome.date) : undefined, reason: outcome.reason?.trim() || undefined, note: outcome.note?.trim() || undefined };
    const updated = await this.write(actor, group, expected, 'close', { state: 'closed', outcome: stored, closedAt: now, closedBy: actor.userId }, now);
    await releaseStudent(updated.student, updated._id);
    await publishEvent({
      type: 'mentoring.closed',
      college: updated.college,
      owner: leaderOf(updated) ? new Types.ObjectId(leaderOf(updated)!.userId) : undefined,
      payload: { groupId: String(updated._id), studentId: String(updated.student), studentName: updated.studentName, collegeId: String(updated.college), leader: leaderOf(updated), outcome: presentOutcome(updated.outcome), activityCount: updated.activityCount, link: this.link(updated._id) },
    });
    return updated;
  }

  // ---- the mentee ----

  /**
   * The mentee's archive as the caller may see it (`students:read`, as for any archive). The sensitive part
   * opens here only for the student's own counselor, each read audited; anyone else within the sensitive
   * scope opens it on purpose with a reason (break-glass, `sensitiveReadNeedsReason`), as `sensitiveAccess` says.
   */
  async mentee(actor: Actor, id: string) {
    assertCan(actor, 'students:read');
    const group = await this.find(actor, id);
    const student = await StudentModel.findById(group.student);
    // Membership opens the archive while the group works (or awaits approval); a closed or rejected group's
    // member from another college no longer needs it, and reads it only within their own scope.
    const member = OPEN_STATES.includes(group.state as GroupState) && isMember(actor, group);
    if (!student || !(member || mayReadRecord(actor, 'student', student))) throw problems.notFound('Student', '学生');
    const archive = await this.students.present(actor, student, { sensitive: !sensitiveReadNeedsReason(actor, student) });
    return { ...archive, sensitiveAccess: this.students.sensitiveAccess(actor, student) };
  }

  // ---- presenting ----

  async presentOne(group: MentoringGroupRecord, now: Date = new Date()) {
    return this.present(group, await collegeDirectory(), now);
  }

  present(g: MentoringGroupRecord, directory: Map<string, CollegeRef>, now: Date = new Date()) {
    const state = g.state as GroupState;
    return {
      id: String(g._id),
      state,
      stateLabel: GROUP_STATE_ZH[state],
      student: { id: String(g.student), name: g.studentName, studentNo: g.studentNo, major: g.major, grade: g.grade },
      college: collegeOf(directory, g.college),
      needs: (g.needs ?? []).map((n) => ({ area: n.area, areaLabel: NEED_AREA_ZH[n.area as NeedArea], note: n.note ?? '' })),
      plan: g.plan ?? '',
      members: presentMembers(g.members as Member[]),
      leader: leaderOf(g),
      memberHistory: (g.memberHistory ?? []).map((h) => ({ at: h.at, by: String(h.by), byName: h.byName, change: h.change, userId: String(h.userId), name: h.name, reason: h.reason ?? '' })),
      proposedBy: String(g.proposedBy),
      proposedByName: g.proposedByName,
      proposedAt: g.proposedAt,
      approvedBy: g.approvedBy ? String(g.approvedBy) : null,
      approvedByName: g.approvedByName ?? null,
      approvedAt: g.approvedAt ?? null,
      ...(g.rejection?.at ? { rejection: { reason: g.rejection.reason ?? '', by: String(g.rejection.by), byName: g.rejection.byName ?? '', at: g.rejection.at } } : {}),
      lastActivityAt: g.lastActivityAt ?? null,
      activityCount: g.activityCount ?? 0,
      silent: state === 'active' && !!g.lastActivityAt && new Date(g.lastActivityAt) < this.silentSince(now),
      ...(g.outcome?.kind ? { outcome: presentOutcome(g.outcome) } : {}),
      ...(g.closedAt ? { closedAt: g.closedAt } : {}),
      revision: g.revision,
    };
  }
}

function isMember(actor: Actor, group: Pick<MentoringGroupRecord, 'members'>): boolean {
  return group.members.some((m) => m.user.equals(actor.userId));
}

function checkRules(members: ReadonlyArray<{ role: string }>): void {
  if (members.length < GROUP_MIN || members.length > GROUP_MAX) throw new GroupSizeError(members.length);
  const leaders = members.filter((m) => m.role === 'leader').length;
  if (leaders !== 1) throw new GroupLeaderError(leaders);
}

export function leaderOf(g: Pick<MentoringGroupRecord, 'members'>): { userId: string; name: string; email: string | null } | null {
  const leader = g.members.find((m) => m.role === 'leader');
  return leader ? { userId: String(leader.user), name: leader.name, email: leader.email ?? null } : null;
}

export function weeksSilent(g: Pick<MentoringGroupRecord, 'lastActivityAt'>, now: Date): number {
  return g.lastActivityAt ? Math.floor((now.getTime() - new Date(g.lastActivityAt).getTime()) / WEEK_MS) : 0;
}

function collegeOf(directory: Map<string, CollegeRef>, id: Types.ObjectId) {
  const college = directory.get(String(id));
  return { id: String(id), code: college?.code ?? null, name: college?.name ?? null };
}

function presentMembers(members: readonly Member[]) {
  return members.map((m) => ({
    userId: String(m.user), name: m.name, email: m.email ?? null, employment: m.employment, employmentLabel: EMPLOYMENT_ZH[m.employment as Employment], role: m.role, roleLabel: MEMBER_ROLE_ZH[m.role as MemberRole], since: m.since,
  }));
}

function presentOutcome(o: MentoringGroupRecord['outcome']) {
  const kind = o?.kind as Outcome;
  return { kind, kindLabel: OUTCOME_ZH[kind], employer: o?.employer ?? null, date: o?.date ?? null, reason: o?.reason ?? null, note: o?.note ?? null };
}

export function presentActivity(a: MentoringActivityRecord) {
  return {
    id: String(a._id), group: String(a.group), at: a.at, kind: a.kind, kindLabel: ACTIVITY_KIND_ZH[a.kind as ActivityKind],
    areas: a.areas, areaLabels: a.areas.map((area) => NEED_AREA_ZH[area as NeedArea]), summary: a.summary, nextStep: a.nextStep ?? '', by: String(a.by), byName: a.byName, createdAt: a.createdAt,
  };
}
