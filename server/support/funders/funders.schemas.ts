import { z } from 'zod/v4';
import { recordRef, text } from '../../http/contract/fields';
import { calendarDay, listPage, objectId, yearQuery } from '../aid-team/aid-team.schemas';
import { FUND_KINDS, FUNDER_ACTIVITY_KINDS, FUNDER_KINDS } from '../support-vocabulary';

export const funderBody = z.object({ kind: z.enum(FUNDER_KINDS), name: text(200).trim().min(1), contact: text(200).optional(), note: text(2000).optional() }).strict();
export const funderListQuery = z.object({ kind: z.enum(FUNDER_KINDS).optional(), ...listPage }).strict();
export const idParams = z.object({ id: objectId }).strict();
export const fundBody = z
  .object({
    kind: z.enum(FUND_KINDS),
    name: text(200).trim().min(1),
    year: z.number().int().min(2000).max(2100),
    amount: z.number().int().min(1).max(1_000_000_000).describe('yuan, a whole number'),
    criteria: text(2000).trim().min(1),
  })
  .strict();
export const fundListQuery = z.object({ year: yearQuery.optional(), funder: objectId.optional(), ...listPage }).strict();
export const awardBody = z
  .object({
    student: recordRef.describe('the student (archive id or student number)'),
    amount: z.number().int().min(1).max(1_000_000_000).describe('yuan, a whole number'),
    date: calendarDay,
    reason: text(1000).trim().min(1),
    nameConsent: z.boolean().describe('the student agreed to be named in the funder’s report'),
  })
  .strict();
export const awardListQuery = z.object({ ...listPage }).strict();
export const funderActivityBody = z
  .object({
    kind: z.enum(FUNDER_ACTIVITY_KINDS),
    title: text(200).trim().min(1),
    date: calendarDay,
    participants: z.number().int().min(0).max(100_000).describe('how many took part'),
    students: z.array(recordRef).max(200).optional(),
    note: text(2000).optional(),
  })
  .strict();
export const reportQuery = z.object({ year: yearQuery, format: z.enum(['json', 'xlsx']).optional() }).strict();

export const funderLabels = {
  kind: '类型',
  name: '名称',
  contact: '联系方式',
  note: '备注',
  year: '年度',
  amount: '金额（元）',
  criteria: '评选条件',
  funder: '资助方',
  student: '学生',
  date: '日期',
  reason: '事由',
  nameConsent: '同意公开姓名',
  title: '活动名称',
  participants: '参加人数',
  students: '参加学生',
  format: '格式',
  limit: '数量',
  after: '起始编号',
  id: '编号',
};
