import type { RequestHandler } from 'express';
import type { Types } from 'mongoose';
import { problems } from '../http/problem';
import type { Actor } from './actor';
import { ROLES, type Permission, type Role } from './roles';

/**
 * Every permission and scope decision of the service lives here, so that handlers state intent
 * ("needs submissions:read", "filter to what this actor may see") and never re-implement rules.
 */
export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

export function assertCan(actor: Actor | undefined, permission: Permission): Actor {
  if (!actor) throw problems.unauthenticated();
  if (!can(actor, permission)) throw problems.forbidden(`Your role may not ${permission}`, `您的角色无权执行此操作（${permission}）`);
  return actor;
}

export function requirePermission(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    assertCan(req.actor, permission);
    next();
  };
}

export function requireActor(actor: Actor | undefined): Actor {
  if (!actor) throw problems.unauthenticated();
  return actor;
}

export function isCollegeScoped(actor: Actor): boolean {
  return ROLES[actor.role].collegeScoped;
}

/** A record that belongs to a college and, optionally, to the staff member who created it. */
export interface ScopedRecord {
  college?: Types.ObjectId | null;
  owner?: Types.ObjectId | null;
}

export function mayActForCollege(actor: Actor, college: Types.ObjectId | null | undefined): boolean {
  return !isCollegeScoped(actor) || (!!college && !!actor.college && college.equals(actor.college));
}

/** The kinds of record whose reading is scoped. `sensitive` is an archive's medical, psychological and financial part. */
export const RESOURCES = ['student', 'sensitive', 'contact', 'case', 'award', 'submission', 'file', 'visitPlan', 'visitReport', 'typicalCase', 'letter', 'feedback', 'mentoringGroup', 'aidTeam', 'fundAward'] as const;
export type Resource = (typeof RESOURCES)[number];

/**
 * - `school`: every record; `college`: the records of the actor's college;
 * - `assigned`: the students a counselor looks after (`student.counselor`);
 * - `lookup`: no lists, but one record of their college when they name it (a teacher opens the student
 *   they are raising a case about);
 * - `own`: what the actor made or raised (`owner`, or the fields in OWN_FIELDS);
 * - `none`: nothing, whatever the permission.
 */
export type Scope = 'school' | 'college' | 'assigned' | 'lookup' | 'own' | 'none';

const everywhere = (scope: Scope): Record<Resource, Scope> => Object.fromEntries(RESOURCES.map((r) => [r, scope])) as Record<Resource, Scope>;
const staffOwnOnly: Record<Resource, Scope> = { student: 'lookup', sensitive: 'none', contact: 'own', case: 'own', award: 'none', submission: 'own', file: 'own', visitPlan: 'college', visitReport: 'own', typicalCase: 'college', letter: 'none', feedback: 'own', mentoringGroup: 'own', aidTeam: 'none', fundAward: 'none' };

/**
 * Which records of each kind a role may read (the permission in roles.ts says whether it may act at all).
 * Need-to-know (A4, PIPL): a counselor reads the sensitive part only of the students they look after;
 * teachers and mentors see what they wrote or raised, and name a student of their college only to raise
 * a case or log a contact about them (see `referenceScopeFilter`); they read their college's visit plans,
 * since they are among its visitors (D2), and the visit reports of the visits they made or started (D6);
 * the college's typical cases (D9) are read across the college, as the examples it holds up; a mentor reads
 * the mentoring groups they belong to (C1–C2). The aid service team and fund awards (E1–E2) are read by the
 * college's counselors and leaders and school-wide roles, not by teachers.
 * README states this table.
 */
export const READ_SCOPE: Record<Role, Record<Resource, Scope>> = {
  admin: everywhere('school'),
  studentAffairs: everywhere('school'),
  schoolLeader: { ...everywhere('school'), sensitive: 'none' },
  collegeLeader: everywhere('college'),
  counselor: { ...everywhere('college'), sensitive: 'assigned', letter: 'assigned' },
  academicMentor: staffOwnOnly,
  growthMentor: staffOwnOnly,
  teacher: staffOwnOnly,
};

/** The fields that make a record the actor's own, per kind (a case is also the raiser's). */
const OWN_FIELDS: Record<Resource, string[]> = {
  student: ['counselor'],
  sensitive: ['counselor'],
  contact: ['owner'],
  case: ['owner', 'alerts.raisedBy'],
  award: ['owner', 'recordedBy'],
  submission: ['owner'],
  file: ['owner'],
  visitPlan: ['createdBy'],
  visitReport: ['visitors.user', 'createdBy'],
  typicalCase: ['createdBy'],
  letter: ['counselor'],
  feedback: ['owner'],
  mentoringGroup: ['members.user', 'proposedBy'],
  aidTeam: ['createdBy'],
  fundAward: ['createdBy'],
};

const NOTHING = { _id: { $in: [] } };

export function readScope(actor: Actor, resource: Resource): Scope {
  return READ_SCOPE[actor.role][resource];
}

/** Mongo filter restricting records of one kind to those the actor may read: in a list, or one named record. */
export function scopeFilter(actor: Actor, resource: Resource, access: 'list' | 'one' = 'list'): Record<string, unknown> {
  const scope = readScope(actor, resource);
  if (scope === 'school') return {};
  if (scope === 'none' || !actor.college || (scope === 'lookup' && access === 'list')) return NOTHING;
  if (scope === 'college' || scope === 'lookup') return { college: actor.college };
  if (scope === 'assigned') return { college: actor.college, counselor: actor.userId };
  const own = OWN_FIELDS[resource].map((field) => ({ [field]: actor.userId }));
  return own.length === 1 ? { college: actor.college, ...own[0] } : { college: actor.college, $or: own };
}

function valueAt(record: object, path: string): unknown[] {
  const [head, ...rest] = path.split('.');
  const value = (record as Record<string, unknown>)[head!];
  if (rest.length === 0) return Array.isArray(value) ? value : [value];
  return (Array.isArray(value) ? value : [value]).flatMap((item) => (item && typeof item === 'object' ? valueAt(item, rest.join('.')) : []));
}

const isId = (actorId: Types.ObjectId) => (value: unknown): boolean => !!value && typeof value === 'object' && 'equals' in value && (value as Types.ObjectId).equals(actorId);

/** The same rule as `scopeFilter`, for one named record in memory. */
export function mayReadRecord(actor: Actor, resource: Resource, record: object): boolean {
  const scope = readScope(actor, resource);
  if (scope === 'school') return true;
  if (scope === 'none' || !actor.college) return false;
  const college = (record as ScopedRecord).college;
  if (!college || !college.equals(actor.college)) return false;
  if (scope === 'college' || scope === 'lookup') return true;
  const fields = scope === 'assigned' ? ['counselor'] : OWN_FIELDS[resource];
  return fields.some((field) => valueAt(record, field).some(isId(actor.userId)));
}

/** Students an actor may name in a case, a contact or a form: those of their college (all, for school-wide roles). */
export function referenceScopeFilter(actor: Actor): Record<string, unknown> {
  return isCollegeScoped(actor) ? { college: actor.college } : {};
}

/** The same rule as `referenceScopeFilter`, for one student in memory. */
export function mayReferTo(actor: Actor, student: object): boolean {
  if (!isCollegeScoped(actor)) return true;
  const college = (student as ScopedRecord).college;
  return !!college && !!actor.college && college.equals(actor.college);
}

/** The sensitive part of this student's archive: the permission, and the student within the sensitive scope. */
export function maySeeSensitive(actor: Actor, student: object): boolean {
  return can(actor, 'sensitive:read') && mayReadRecord(actor, 'sensitive', student);
}

/** Break-glass (A4): the fewest characters of a reason for opening the sensitive part of a student one does not look after. */
export const SENSITIVE_REASON_MIN_LENGTH = 5;

/** Is the actor the counselor who looks after this student (the archive's `counselor`)? */
function looksAfter(actor: Actor, student: object): boolean {
  const counselor = (student as { counselor?: Types.ObjectId | null }).counselor;
  return !!counselor && counselor.equals(actor.userId);
}

/**
 * Break-glass (A4, PIPL art. 28): opening a student's sensitive part is an explicit act, audited each
 * time. The counselor who looks after the student opens it as part of their daily work and gives no
 * reason; anyone else allowed to open it — a college leader, student affairs, an administrator, or an API
 * key acting for one of them — must say which field and why, and the reason is kept in the audit entry.
 */
export function sensitiveReadNeedsReason(actor: Actor, student: object): boolean {
  return !looksAfter(actor, student);
}

/** Why the actor may not open this student's sensitive part, in Chinese and English; `null` when they may. */
export function sensitiveReadRefusal(actor: Actor, student: object): { zh: string; en: string } | null {
  if (maySeeSensitive(actor, student)) return null;
  const rule = {
    zh: '按照《个人信息保护法》的最小必要原则，学生的医疗史、心理状况和家庭经济情况只对负责该生的辅导员、本院系领导和学工部开放',
    en: "Under PIPL's need-to-know rule, a student's medical history, psychological notes and family finances are open only to the counselor who looks after the student, the college's leaders and student affairs",
  };
  if (can(actor, 'sensitive:read')) {
    return { zh: `您不是该生的辅导员。${rule.zh}。如工作确需了解，请联系该生的辅导员或院系领导。`, en: `You are not this student's counselor. ${rule.en}. If your work needs them, ask the student's counselor or the college's leaders.` };
  }
  return { zh: `${rule.zh}，${ROLES[actor.role].zh}不能查看。如工作确需了解，请联系该生的辅导员。`, en: `${rule.en}; your role (${actor.role}) cannot open them. If your work needs them, ask the student's counselor.` };
}

/** Writers: the owner, a college leader of the same college, or a school-wide role with the permission. */
export function mayWrite(actor: Actor, record: ScopedRecord): boolean {
  if (!isCollegeScoped(actor)) return true;
  const sameCollege = !!record.college && !!actor.college && record.college.equals(actor.college);
  if (!sameCollege) return false;
  return actor.role === 'collegeLeader' || (!!record.owner && record.owner.equals(actor.userId));
}

/**
 * Who writes a visit report (D6): the visitors named on it, and the counselors and leaders of its
 * college. A school-wide role writes only the reports of visits it made itself.
 */
export function mayWriteVisitReport(actor: Actor, report: { college: Types.ObjectId; visitors: ReadonlyArray<{ user?: Types.ObjectId | null }> }): boolean {
  if (!can(actor, 'contacts:write')) return false;
  if (report.visitors.some((v) => !!v.user && v.user.equals(actor.userId)) && mayActForCollege(actor, report.college)) return true;
  return isCollegeScoped(actor) && mayActForCollege(actor, report.college) && (actor.role === 'counselor' || actor.role === 'collegeLeader');
}

/**
 * Out-of-scope records answer 404, not 403, so that IDs of another college's records cannot be probed.
 */
export function assertMayRead<T extends object>(actor: Actor, resource: Resource, record: T | null | undefined, what: string, whatZh: string): T {
  if (!record || !mayReadRecord(actor, resource, record)) throw problems.notFound(what, whatZh);
  return record;
}

export function assertMayWrite<T extends object>(actor: Actor, resource: Resource, record: T | null | undefined, what: string, whatZh: string): T {
  const readable = assertMayRead(actor, resource, record, what, whatZh);
  if (!mayWrite(actor, readable as ScopedRecord)) throw problems.forbidden(`You may not change this ${what}`, `您无权修改此${whatZh}`);
  return readable;
}
