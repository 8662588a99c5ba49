import { DateTime } from 'luxon';
import { z } from 'zod/v4';
import { page } from '../http/contract/fields';
import { problems } from '../http/problem';
import { AUDIT_ACTIONS, type AuditAction } from './audit-entry.model';

const ZONE = 'Asia/Shanghai';
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-11-23');

const filterFields = {
  action: z.enum(AUDIT_ACTIONS).optional(),
  resourceType: z.string().max(40).optional(),
  resourceId: z.string().max(60).optional(),
  userId: z.string().regex(/^[0-9a-f]{24}$/, 'a user id').optional(),
  username: z.string().max(40).optional().describe('who acted (exact username)'),
  field: z.string().max(80).optional().describe('a field name read or written, e.g. medicalHistory'),
  from: day.optional().describe('first day, Beijing time'),
  to: day.optional().describe('last day (inclusive), Beijing time'),
};

export const auditQuery = z.object({ ...filterFields, ...page(500) }).strict();
export const auditExportQuery = z.object(filterFields).strict();
export const auditLabels = { action: '操作', resourceType: '对象类型', resourceId: '对象编号', userId: '用户', username: '用户名', field: '字段', from: '开始日期', to: '结束日期' };

export interface AuditFilter {
  action?: AuditAction;
  resourceType?: string;
  resourceId?: string;
  userId?: string;
  username?: string;
  field?: string;
  from?: string;
  to?: string;
}

function dayStart(value: string, path: 'from' | 'to'): DateTime {
  const start = DateTime.fromISO(value, { zone: ZONE }).startOf('day');
  if (!start.isValid) throw problems.validation([{ path, message: `日期“${value}”无效`, messageEn: `"${value}" is not a valid date`, rule: 'date' }]);
  return start;
}

/** The Mongo filter of an audit query: days are whole days in Beijing time, `to` included. */
export function auditFilter(query: AuditFilter): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (query.resourceType) filter.resourceType = query.resourceType;
  if (query.resourceId) filter.resourceId = query.resourceId;
  if (query.action) filter.action = query.action;
  if (query.userId) filter['actor.userId'] = query.userId;
  if (query.username) filter['actor.username'] = query.username;
  if (query.field) filter.fields = query.field;
  const at: Record<string, Date> = {};
  if (query.from) at.$gte = dayStart(query.from, 'from').toJSDate();
  if (query.to) at.$lt = dayStart(query.to, 'to').plus({ days: 1 }).toJSDate();
  if (at.$gte && at.$lt && at.$gte >= at.$lt) {
    throw problems.validation([{ path: 'to', message: '结束日期不能早于开始日期', messageEn: 'to must not be before from', rule: 'range' }]);
  }
  if (Object.keys(at).length) filter.at = at;
  return filter;
}
