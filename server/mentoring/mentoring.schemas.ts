import { z } from 'zod/v4';
import { queryFlag, queryInt, recordRef } from '../http/contract/fields';
import { ACTIVITY_KINDS, EMPLOYMENTS, GROUP_STATES, MEMBER_ROLES, NEED_AREAS, OUTCOMES } from './mentoring-vocabulary';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a record id');
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day such as 2027-06-30')
  .refine((v) => {
    const at = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === v;
  }, 'must be a day of the calendar');
const moment = z.string().max(40).refine((v) => !Number.isNaN(Date.parse(v)), 'must be a date-time such as 2027-03-01T10:00:00+08:00');

export const groupParams = z.object({ id: objectId }).strict();

export const suggestionsQuery = z.object({ student: recordRef.describe('student id or number') }).strict();

export const proposalBody = z
  .object({
    student: recordRef.describe('student id or number'),
    members: z.array(z.object({ user: recordRef.describe('user id or username'), employment: z.enum(EMPLOYMENTS), role: z.enum(MEMBER_ROLES) }).strict()).max(20).describe('3–5 teachers, exactly one leader'),
    needs: z
      .array(z.object({ area: z.enum(NEED_AREAS), note: z.string().trim().max(500).optional() }).strict())
      .min(1)
      .max(NEED_AREAS.length)
      .refine((needs) => new Set(needs.map((n) => n.area)).size === needs.length, 'names each area once'),
    plan: z.string().trim().min(1).max(5000),
  })
  .strict();

export const groupListQuery = z
  .object({
    state: z.enum(GROUP_STATES).optional(),
    college: recordRef.optional().describe('college id or code'),
    member: z.union([z.literal('me'), objectId]).optional().describe('`me` or a user id'),
    student: objectId.optional(),
    inactive: queryFlag.optional().describe('true: active groups silent for the configured weeks'),
    limit: queryInt(1, 200).optional().default(50),
    after: objectId.optional().describe('the `next` of the previous page'),
  })
  .strict();

/** The approver who decided outside the service (an n8n approval message), recorded by a key with mentoring:relay. */
const onBehalfOf = z.string().trim().min(1).max(100).describe('the approver who decided (user id or username); needs mentoring:relay');
export const approveBody = z.object({ onBehalfOf: onBehalfOf.optional() }).strict();
export const rejectBody = z.object({ reason: z.string().trim().min(1).max(1000), onBehalfOf: onBehalfOf.optional() }).strict();

export const membersBody = z
  .object({
    add: z.array(z.object({ user: recordRef.describe('user id or username'), employment: z.enum(EMPLOYMENTS) }).strict()).max(5).optional(),
    remove: z.array(objectId).max(5).optional(),
    leader: objectId.optional().describe('the member who leads from now on'),
    reason: z.string().trim().min(1).max(500),
  })
  .strict();

export const activityBody = z
  .object({
    at: moment.describe('when it happened'),
    kind: z.enum(ACTIVITY_KINDS),
    areas: z.array(z.enum(NEED_AREAS)).min(1).max(NEED_AREAS.length),
    summary: z.string().trim().min(1).max(2000),
    nextStep: z.string().trim().max(1000).optional(),
  })
  .strict();

export const activityListQuery = z.object({ limit: queryInt(1, 200).optional().default(50), after: objectId.optional().describe('the `next` of the previous page') }).strict();

export const closeBody = z
  .object({
    outcome: z
      .object({
        kind: z.enum(OUTCOMES),
        employer: z.string().trim().max(200).optional(),
        date: day.optional(),
        reason: z.string().trim().max(1000).optional(),
        note: z.string().trim().max(2000).optional(),
      })
      .strict(),
  })
  .strict();

export const reportQuery = z.object({ from: day.optional().describe('first day (default: the first of this month)'), to: day.optional().describe('last day (default: the end of this month)') }).strict();

export const mentoringLabels = {
  id: '编号',
  student: '学生',
  members: '小组成员',
  'members.user': '教师',
  'members.employment': '专兼职',
  'members.role': '组内角色',
  needs: '帮扶需求',
  'needs.area': '帮扶方面',
  'needs.note': '说明',
  plan: '帮扶计划',
  state: '状态',
  college: '学院',
  member: '成员',
  inactive: '是否长期无活动',
  limit: '数量',
  after: '分页位置',
  reason: '原因',
  add: '新增成员',
  'add.user': '教师',
  'add.employment': '专兼职',
  remove: '移出成员',
  leader: '组长',
  at: '时间',
  kind: '方式',
  areas: '帮扶方面',
  summary: '内容',
  nextStep: '下一步',
  outcome: '帮扶结果',
  'outcome.kind': '结果',
  'outcome.employer': '就业单位',
  'outcome.date': '日期',
  'outcome.reason': '原因',
  'outcome.note': '备注',
  from: '开始日期',
  to: '结束日期',
};
