import { Types } from 'mongoose';
import { currentContext } from '../http/request-context';
import { DateTime } from 'luxon';
import { AuditEntryModel, type AuditAction, type AuditEntry } from './audit-entry.model';
import { auditFilter, type AuditFilter } from './audit-query';
import type { Sheet } from '../http/xlsx-download';

export type StudentBriefs = (ids: Types.ObjectId[]) => Promise<Map<string, { studentNo: string; studentName: string }>>;
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

/** Entries that never wait for the end of their request: a sensitive read is on record before the data leaves. */
const WRITTEN_AT_ONCE = new Set<AuditAction>(['read-sensitive', 'sign-in', 'sign-in-failed']);

/**
 * Writes one audit entry, attributing it to the actor of the current request (or to the system). Within
 * a request a write's entry joins the request's other ones, all written in one insert before the answer
 * completes (see request-audit).
 */
export async function recordAudit(record: AuditRecord): Promise<void> {
  const context = currentContext();
  const actor = context?.actor;
  const entry = {
    at: new Date(),
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
      : { kind: context ? ('anonymous' as const) : ('system' as const), username: record.username },
  };
  if (context?.pendingAudit && !WRITTEN_AT_ONCE.has(record.action)) context.pendingAudit.push(entry);
  else await AuditEntryModel.create(entry);
}

/** The most rows one export holds; a narrower filter gets the rest. */
export const AUDIT_EXPORT_LIMIT = 10_000;

const ACTION_ZH: Record<AuditAction, string> = { create: '新建', update: '修改', delete: '删除', 'read-sensitive': '查看敏感信息', 'sign-in': '登录', 'sign-in-failed': '登录失败' };

type AuditRow = AuditEntry & { _id: unknown; student?: { studentNo: string; name: string } };

/** Who the audited archives belong to, in one query for the page: student affairs reads numbers, not ids. */
export async function withStudents<T extends AuditEntry>(items: T[], briefs: StudentBriefs): Promise<Array<T & { student?: { studentNo: string; name: string } }>> {
  const ids = [...new Set(items.filter((e) => e.resourceType === 'student' && e.resourceId && Types.ObjectId.isValid(e.resourceId)).map((e) => e.resourceId!))];
  const found = ids.length ? await briefs(ids.map((id) => new Types.ObjectId(id))) : new Map();
  return items.map((entry) => {
    const brief = entry.resourceType === 'student' && entry.resourceId ? found.get(entry.resourceId) : undefined;
    return brief ? { ...entry, student: { studentNo: brief.studentNo, name: brief.studentName } } : entry;
  });
}

export async function listAudit(query: AuditFilter & { limit: number; skip: number }) {
  const filter = auditFilter(query);
  const { items, total } = await pageWithTotal(AuditEntryModel.find(filter).sort({ at: -1, _id: -1 }).skip(query.skip).limit(query.limit).lean(), () => AuditEntryModel.countDocuments(filter), query.skip, query.limit);
  return { items, total };
}

export async function exportAudit(query: AuditFilter): Promise<{ items: AuditRow[]; truncated: boolean }> {
  const items = await AuditEntryModel.find(auditFilter(query)).sort({ at: -1, _id: -1 }).limit(AUDIT_EXPORT_LIMIT + 1).lean();
  return { items: items.slice(0, AUDIT_EXPORT_LIMIT), truncated: items.length > AUDIT_EXPORT_LIMIT };
}

const beijing = (at: Date) => DateTime.fromJSDate(at).setZone('Asia/Shanghai').toFormat('yyyy-LL-dd HH:mm:ss');

export function auditSheet(items: AuditRow[], truncated: boolean): Sheet<AuditRow> {
  return {
    name: '审计记录',
    columns: [
      { header: '时间（北京时间）', width: 21, value: (e) => beijing(e.at) },
      { header: '用户名', value: (e) => e.actor?.username },
      { header: '角色', value: (e) => e.actor?.role },
      { header: '方式', width: 10, value: (e) => e.actor?.kind },
      { header: '操作', value: (e) => ACTION_ZH[e.action as AuditAction] ?? e.action },
      { header: '对象类型', value: (e) => e.resourceType },
      { header: '对象编号', width: 28, value: (e) => e.resourceId },
      { header: '学号', value: (e) => e.student?.studentNo },
      { header: '学生姓名', value: (e) => e.student?.name },
      { header: '字段', width: 36, value: (e) => (e.fields ?? []).join('、') },
      { header: '理由', width: 30, value: (e) => (e as { reason?: string }).reason },
      { header: 'IP', value: (e) => e.ip },
      { header: '请求编号', width: 38, value: (e) => e.requestId },
    ],
    rows: items,
    note: truncated ? `仅导出最新的 ${AUDIT_EXPORT_LIMIT} 条，请缩小筛选范围后再导出其余记录。Only the newest ${AUDIT_EXPORT_LIMIT} rows; narrow the filter for the rest.` : undefined,
  };
}
