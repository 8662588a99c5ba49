import { z } from 'zod/v4';
import { queryFlag, queryInt, recordRef, text } from '../../http/contract/fields';
import { AID_ACTIVITY_KINDS, AID_ROLES } from '../support-vocabulary';

export const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a record id');
export const calendarDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-09-01').refine((v) => !Number.isNaN(new Date(`${v}T00:00:00Z`).getTime()), 'must be a real date');
export const yearQuery = queryInt(2000, 2100);
export const listPage = { limit: queryInt(1, 200).optional().default(50), after: objectId.optional().describe('the last id of the previous page') };

export const memberBody = z
  .object({ student: recordRef.describe('the student (archive id or student number)'), role: z.enum(AID_ROLES), from: calendarDay, to: calendarDay.optional() })
  .strict();
export const memberListQuery = z.object({ college: objectId.optional(), active: queryFlag.optional(), ...listPage }).strict();
export const idParams = z.object({ id: objectId }).strict();
export const endBody = z.object({ to: calendarDay, reason: text(500).optional() }).strict();
export const activityBody = z
  .object({
    kind: z.enum(AID_ACTIVITY_KINDS),
    title: text(200).trim().min(1),
    date: calendarDay,
    place: text(200).optional(),
    participants: z.array(z.object({ member: objectId.describe('a current membership'), hours: z.number().min(0.5).max(24) }).strict()).min(1).max(500),
  })
  .strict();
export const activityListQuery = z.object({ year: yearQuery.optional(), kind: z.enum(AID_ACTIVITY_KINDS).optional(), ...listPage }).strict();
export const yearOnly = z.object({ year: yearQuery }).strict();

export const aidTeamLabels = {
  student: '学生',
  role: '队内职务',
  from: '入队日期',
  to: '离队日期',
  reason: '离队原因',
  college: '学院',
  active: '是否在队',
  limit: '数量',
  after: '起始编号',
  kind: '活动类型',
  title: '活动名称',
  date: '活动日期',
  place: '地点',
  participants: '参加队员',
  'participants.member': '队员',
  'participants.hours': '服务时长（小时）',
  year: '年度',
  id: '编号',
};
