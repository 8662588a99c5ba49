import type { RequestHandler } from 'express';
import type { Types } from 'mongoose';
import { problems } from '../http/problem';
import type { Actor } from './actor';
import { COLLEGE_WIDE_READERS, ROLES, type Permission } from './roles';

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

/** Records that belong to a college as a whole (students): college-scoped roles see their college's. */
export function collegeScopeFilter(actor: Actor): Record<string, unknown> {
  return isCollegeScoped(actor) ? { college: actor.college } : {};
}

export function mayActForCollege(actor: Actor, college: Types.ObjectId | null | undefined): boolean {
  return !isCollegeScoped(actor) || (!!college && !!actor.college && college.equals(actor.college));
}

/** Mongo filter restricting records to those the actor may read. */
export function readScopeFilter(actor: Actor): Record<string, unknown> {
  if (!isCollegeScoped(actor)) return {};
  if (COLLEGE_WIDE_READERS.includes(actor.role)) return { college: actor.college };
  return { college: actor.college, owner: actor.userId };
}

export function mayRead(actor: Actor, record: ScopedRecord): boolean {
  if (!isCollegeScoped(actor)) return true;
  const sameCollege = !!record.college && !!actor.college && record.college.equals(actor.college);
  if (!sameCollege) return false;
  if (COLLEGE_WIDE_READERS.includes(actor.role)) return true;
  return !!record.owner && record.owner.equals(actor.userId);
}

/** Writers: the owner, a college leader of the same college, or a school-wide role with the permission. */
export function mayWrite(actor: Actor, record: ScopedRecord): boolean {
  if (!isCollegeScoped(actor)) return true;
  const sameCollege = !!record.college && !!actor.college && record.college.equals(actor.college);
  if (!sameCollege) return false;
  return actor.role === 'collegeLeader' || (!!record.owner && record.owner.equals(actor.userId));
}

/**
 * Out-of-scope records answer 404, not 403, so that IDs of another college's records cannot be probed.
 */
export function assertMayRead<T extends object>(actor: Actor, record: T | null | undefined, what: string, whatZh: string): T {
  if (!record || !mayRead(actor, record as ScopedRecord)) throw problems.notFound(what, whatZh);
  return record;
}

export function assertMayWrite<T extends object>(actor: Actor, record: T | null | undefined, what: string, whatZh: string): T {
  const readable = assertMayRead(actor, record, what, whatZh);
  if (!mayWrite(actor, readable as ScopedRecord)) throw problems.forbidden(`You may not change this ${what}`, `您无权修改此${whatZh}`);
  return readable;
}
