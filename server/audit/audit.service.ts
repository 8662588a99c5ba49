import type { Types } from 'mongoose';
import { currentContext } from '../http/request-context';
import { AuditEntryModel, type AuditAction } from './audit-entry.model';
import { pageWithTotal } from '../db/page-with-total';

export interface AuditRecord {
  action: AuditAction;
  resourceType: string;
  resourceId?: string;
  fields?: string[];
  count?: number;
  /** Why sensitive fields were opened (break-glass); the reader's words, never field values. */
  reason?: string;
  college?: Types.ObjectId | null;
  /** For events before an actor is known (a failed sign-in). */
  username?: string;
}

/** Writes one audit entry, attributing it to the actor of the current request (or to the system). */
export async function recordAudit(record: AuditRecord): Promise<void> {
  const context = currentContext();
  const actor = context?.actor;
  await AuditEntryModel.create({
    action: record.action,
    resourceType: record.resourceType,
    resourceId: record.resourceId,
    fields: record.fields ?? [],
    count: record.count,
    reason: record.reason,
    college: record.college ?? actor?.college,
    requestId: context?.requestId,
    ip: context?.ip,
    actor: actor
      ? { kind: actor.kind, userId: actor.userId, username: actor.username, role: actor.role, apiKeyId: actor.apiKeyId }
      : { kind: context ? 'anonymous' : 'system', username: record.username },
  });
}

export interface AuditQuery {
  resourceType?: string;
  resourceId?: string;
  action?: AuditAction;
  userId?: string;
  college?: Types.ObjectId;
  limit: number;
  skip: number;
}

export async function listAudit(query: AuditQuery) {
  const filter: Record<string, unknown> = {};
  if (query.resourceType) filter.resourceType = query.resourceType;
  if (query.resourceId) filter.resourceId = query.resourceId;
  if (query.action) filter.action = query.action;
  if (query.userId) filter['actor.userId'] = query.userId;
  if (query.college) filter.college = query.college;
  const { items, total } = await pageWithTotal(AuditEntryModel.find(filter).sort({ at: -1, _id: -1 }).skip(query.skip).limit(query.limit).lean(), () => AuditEntryModel.countDocuments(filter), query.skip, query.limit);
  return { items, total };
}
