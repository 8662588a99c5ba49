import { Types } from 'mongoose';
import { isDuplicateKey } from '../../db/duplicate-key';
import { problems } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { assertMayRead, mayActForCollege, scopeFilter } from '../../identity/policy';
import { AwardModel } from '../../liaison/award.model';
import type { StudentsService } from '../../students/students.service';
import { NotEligible, supportErrors } from '../support-errors';
import { AID_ACTIVITY_KINDS, AID_ACTIVITY_KIND_LABELS, AID_ROLE_LABELS, type AidActivityKind, type AidRole, type EligibilityReason } from '../support-vocabulary';
import { AidActivityModel, AidMemberModel, AidMembershipClaimModel, AidParticipationModel } from './aid-team.model';

/** A claim whose membership was never stored (the writer died in between) is given up after this long. */
const ORPHANED_CLAIM_MS = 30_000;
const YEAR_MS = 365 * 86_400_000;

type MemberRecord = InstanceType<typeof AidMemberModel>;
type ActivityRecord = InstanceType<typeof AidActivityModel>;

export interface MemberInput {
  student: string;
  role: AidRole;
  from: string;
  to?: string;
}

export interface ActivityInput {
  kind: AidActivityKind;
  title: string;
  date: string;
  place?: string;
  participants: { member: string; hours: number }[];
}

/** The aid-team scope for activities: those with a participant of the actor's college (`colleges`). */
function activityScope(actor: Actor): Record<string, unknown> {
  const { college, ...rest } = scopeFilter(actor, 'aidTeam');
  return college === undefined ? rest : { ...rest, colleges: college };
}

const day = (value: string): Date => new Date(`${value.slice(0, 10)}T00:00:00.000Z`);
const dayText = (value: Date | null | undefined): string | null => (value ? value.toISOString().slice(0, 10) : null);

/** The student aid service team (E1): members drawn from hardship students in good standing, their activities and hours. */
export class AidTeamService {
  constructor(private readonly students: StudentsService) {}

  /** Why the archive does not allow this student on the team (empty: eligible). */
  async eligibility(student: { _id: Types.ObjectId; specialCategories?: string[] | null }, now: Date = new Date()): Promise<EligibilityReason[]> {
    const reasons: EligibilityReason[] = [];
    const categories = student.specialCategories ?? [];
    if (!categories.includes('financialHardship')) reasons.push('NOT_HARDSHIP');
    if (categories.includes('academic')) reasons.push('ACADEMIC_DIFFICULTY');
    // On the {student, date} index: the student's records of the last 12 months, penalties among them.
    const recent = await AwardModel.find({ student: student._id, date: { $gte: new Date(now.getTime() - YEAR_MS) } }).select('kind').limit(200).lean();
    if (recent.some((record) => record.kind === 'penalty')) reasons.push('RECENT_PENALTY');
    return reasons;
  }

  async addMember(actor: Actor, input: MemberInput) {
    const student = await this.students.findReferable(actor, input.student);
    const reasons = await this.eligibility(student);
    if (reasons.length) throw new NotEligible(reasons);
    const member = new AidMemberModel({
      student: student._id, college: student.college, studentNo: student.studentNo, studentName: student.name, major: student.major, grade: student.grade,
      role: input.role, from: day(input.from), to: input.to ? day(input.to) : undefined, active: true, createdBy: actor.userId,
    });
    await this.claimMembership(student._id, member._id, student.college);
    try {
      await member.save();
    } catch (error) {
      await AidMembershipClaimModel.deleteOne({ _id: student._id, member: member._id }).catch(() => undefined);
      throw error;
    }
    return this.presentMember(member);
  }

  /**
   * Inserts the student's claim. A claim already there is refused unless it is left over: its membership
   * ended (the writer died before deleting it) or was never stored and the claim is older than a request.
   */
  private async claimMembership(student: Types.ObjectId, member: Types.ObjectId, college: Types.ObjectId): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await AidMembershipClaimModel.create({ _id: student, member, college, at: new Date() });
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const claim = await AidMembershipClaimModel.findById(student).lean();
      if (!claim) continue;
      const held = await AidMemberModel.findById(claim.member).select('active').lean();
      const leftOver = held ? !held.active : Date.now() - claim.at.getTime() > ORPHANED_CLAIM_MS;
      if (!leftOver) throw supportErrors.alreadyMember();
      await AidMembershipClaimModel.deleteOne({ _id: student, member: claim.member });
    }
    throw supportErrors.alreadyMember();
  }

  async endMember(actor: Actor, id: string, input: { to: string; reason?: string }) {
    const member = await this.findMember(actor, id);
    if (!mayActForCollege(actor, member.college)) throw problems.notFound('Aid team member', '助学服务队员');
    if (!member.active) throw supportErrors.membershipEnded();
    await AidMemberModel.updateOne({ _id: member._id }, { $set: { active: false, to: day(input.to), endReason: input.reason } });
    await AidMembershipClaimModel.deleteOne({ _id: member.student, member: member._id });
    return this.presentMember((await AidMemberModel.findById(member._id))!);
  }

  async findMember(actor: Actor, id: string): Promise<MemberRecord> {
    const member = Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/.test(id) ? await AidMemberModel.findById(id) : null;
    return assertMayRead(actor, 'aidTeam', member, 'Aid team member', '助学服务队员');
  }

  async listMembers(actor: Actor, query: { college?: string; active?: boolean; limit: number; after?: string }) {
    const filter: Record<string, unknown> = { ...scopeFilter(actor, 'aidTeam') };
    if (query.college) filter.college = filter.college && String(filter.college) !== query.college ? { $in: [] } : new Types.ObjectId(query.college);
    if (query.active !== undefined) filter.active = query.active;
    const paged = query.after ? { ...filter, _id: { $gt: new Types.ObjectId(query.after) } } : filter;
    const items = await AidMemberModel.find(paged).sort({ _id: 1 }).limit(query.limit);
    const total = !query.after && items.length < query.limit ? items.length : await AidMemberModel.countDocuments(filter);
    return { items: items.map((m) => this.presentMember(m)), total, next: items.length === query.limit ? String(items[items.length - 1]!._id) : null };
  }

  presentMember(m: MemberRecord) {
    return {
      id: String(m._id),
      student: { id: String(m.student), name: m.studentName, studentNo: m.studentNo, major: m.major ?? null, grade: m.grade ?? null },
      college: String(m.college),
      role: m.role,
      roleLabel: AID_ROLE_LABELS[m.role as AidRole],
      from: dayText(m.from),
      to: dayText(m.to),
      active: m.active,
      endReason: m.endReason ?? null,
      createdBy: String(m.createdBy),
    };
  }

  /** `id`: the record's id (a form's submission id makes a resent form one activity). */
  async logActivity(actor: Actor, input: ActivityInput, id: Types.ObjectId = new Types.ObjectId()) {
    const existing = await AidActivityModel.findById(id);
    if (existing) return this.presentActivity(await this.writeParticipations(existing));
    const ids = input.participants.map((p) => p.member);
    const valid = ids.filter((m) => /^[0-9a-f]{24}$/.test(m)).map((m) => new Types.ObjectId(m));
    const members = new Map((await AidMemberModel.find({ _id: { $in: valid } }).lean()).map((m) => [String(m._id), m]));
    const refused = input.participants.flatMap((p, i) => {
      const m = members.get(p.member);
      const current = m && m.active && mayActForCollege(actor, m.college);
      return current ? [] : [{ path: `participants[${i}].member`, member: m ? m.studentName : p.member }];
    });
    if (refused.length) throw supportErrors.notCurrentMembers(refused);
    const seen = new Set<string>();
    const duplicate = input.participants.findIndex((p) => (seen.has(p.member) ? true : (seen.add(p.member), false)));
    if (duplicate >= 0) {
      throw problems.validation([{ path: `participants[${duplicate}].member`, message: '同一队员在一次活动中只能登记一次', messageEn: 'a member is listed twice', rule: 'duplicate' }]);
    }
    const date = day(input.date);
    const activity = new AidActivityModel({
      _id: id, kind: input.kind, title: input.title, date, year: date.getUTCFullYear(), place: input.place,
      participants: input.participants.map((p) => {
        const m = members.get(p.member)!;
        return { member: m._id, student: m.student, studentName: m.studentName, hours: p.hours };
      }),
      college: members.get(input.participants[0]!.member)!.college,
      colleges: [...new Set([...members.values()].map((m) => String(m.college)))].map((c) => new Types.ObjectId(c)),
      createdBy: actor.userId,
    });
    try {
      await activity.save();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return this.presentActivity(await this.writeParticipations((await AidActivityModel.findById(id))!));
    }
    return this.presentActivity(await this.writeParticipations(activity));
  }

  /** The activity's participations (idempotent: each under `<activity>:<member>`). */
  private async writeParticipations(activity: ActivityRecord): Promise<ActivityRecord> {
    const memberColleges = new Map((await AidMemberModel.find({ _id: { $in: activity.participants.map((p) => p.member) } }).select('college').lean()).map((m) => [String(m._id), m.college]));
    const rows = activity.participants.map((p) => ({ _id: `${String(activity._id)}:${String(p.member)}`, activity: activity._id, member: p.member, college: memberColleges.get(String(p.member)) ?? activity.college, kind: activity.kind, year: activity.year, hours: p.hours }));
    try {
      await AidParticipationModel.insertMany(rows, { ordered: false });
    } catch (error) {
      const written = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
      if (!isDuplicateKey(error) && (!written || !written.every((e) => (e.code ?? e.err?.code) === 11000))) throw error;
    }
    if (!activity.counted) {
      await AidActivityModel.updateOne({ _id: activity._id }, { $set: { counted: true } });
      activity.counted = true;
    }
    return activity;
  }

  /** Before a year's hours are read: activities whose writer died before writing their participations get them now. */
  private async completeUncounted(year: number): Promise<void> {
    const pending = await AidActivityModel.find({ year, counted: false }).limit(200);
    for (const activity of pending) await this.writeParticipations(activity);
  }

  async discardActivity(id: Types.ObjectId): Promise<void> {
    await AidParticipationModel.deleteMany({ activity: id });
    await AidActivityModel.deleteOne({ _id: id });
  }

  async listActivities(actor: Actor, query: { year?: number; kind?: AidActivityKind; limit: number; after?: string }) {
    const filter: Record<string, unknown> = activityScope(actor);
    if (query.year !== undefined) filter.year = query.year;
    if (query.kind) filter.kind = query.kind;
    const paged = query.after ? { ...filter, _id: { $gt: new Types.ObjectId(query.after) } } : filter;
    const items = await AidActivityModel.find(paged).sort({ _id: 1 }).limit(query.limit);
    const total = !query.after && items.length < query.limit ? items.length : await AidActivityModel.countDocuments(filter);
    return { items: items.map((a) => this.presentActivity(a)), total, next: items.length === query.limit ? String(items[items.length - 1]!._id) : null };
  }

  presentActivity(a: ActivityRecord) {
    return {
      id: String(a._id),
      kind: a.kind,
      kindLabel: AID_ACTIVITY_KIND_LABELS[a.kind as AidActivityKind],
      title: a.title,
      date: dayText(a.date),
      year: a.year,
      place: a.place ?? null,
      participants: a.participants.map((p) => ({ member: String(p.member), student: String(p.student), studentName: p.studentName, hours: p.hours })),
      hours: a.participants.reduce((sum, p) => sum + p.hours, 0),
      createdBy: String(a.createdBy),
    };
  }

  /** One member's year: activities, hours, and both by kind — one aggregation on the participants index. */
  async memberSummary(actor: Actor, id: string, year: number) {
    const member = await this.findMember(actor, id);
    await this.completeUncounted(year);
    const rows = await this.hoursByMemberAndKind({ member: member._id, year });
    return { member: this.presentMember(member), year, ...this.totals(rows) };
  }

  /** Every member's year in the caller's scope: one aggregation, then the members named in it read by _id. */
  async yearSummary(actor: Actor, year: number) {
    const scope = scopeFilter(actor, 'aidTeam');
    await this.completeUncounted(year);
    const rows = await this.hoursByMemberAndKind({ year, ...scope });
    const byMember = new Map<string, typeof rows>();
    for (const row of rows) byMember.set(String(row.member), [...(byMember.get(String(row.member)) ?? []), row]);
    const ids = [...byMember.keys()].map((m) => new Types.ObjectId(m));
    const members = await AidMemberModel.find({ _id: { $in: ids }, ...scope });
    const items = members
      .map((m) => ({ member: this.presentMember(m), year, ...this.totals(byMember.get(String(m._id)) ?? []) }))
      .sort((a, b) => b.hours - a.hours || a.member.student.studentNo.localeCompare(b.member.student.studentNo));
    return { year, items, totals: { members: items.length, hours: items.reduce((s, i) => s + i.hours, 0) } };
  }

  /**
   * Activities and hours per member and kind: one $match on an index and one $group. The group is keyed by
   * the hours too and only counts (the embedded FerretDB sums only constants), so the hours are added up
   * here from at most 48 distinct values (0.5–24) per member and kind.
   */
  private async hoursByMemberAndKind(match: Record<string, unknown>) {
    const grouped = await AidParticipationModel.aggregate<{ _id: { member: Types.ObjectId; kind: AidActivityKind; hours: number }; n: number }>([
      { $match: match },
      { $group: { _id: { member: '$member', kind: '$kind', hours: '$hours' }, n: { $sum: 1 } } },
    ]);
    const rows = new Map<string, { member: Types.ObjectId; kind: AidActivityKind; activities: number; hours: number }>();
    for (const g of grouped) {
      const key = `${String(g._id.member)}|${g._id.kind}`;
      const row = rows.get(key) ?? { member: g._id.member, kind: g._id.kind, activities: 0, hours: 0 };
      row.activities += g.n;
      row.hours += g._id.hours * g.n;
      rows.set(key, row);
    }
    return [...rows.values()];
  }

  private totals(rows: { kind: AidActivityKind; activities: number; hours: number }[]) {
    const byKind = Object.fromEntries(AID_ACTIVITY_KINDS.map((kind) => [kind, { label: AID_ACTIVITY_KIND_LABELS[kind], activities: 0, hours: 0 }]));
    for (const row of rows) {
      byKind[row.kind]!.activities += row.activities;
      byKind[row.kind]!.hours += row.hours;
    }
    return { activities: rows.reduce((s, r) => s + r.activities, 0), hours: rows.reduce((s, r) => s + r.hours, 0), byKind };
  }
}
