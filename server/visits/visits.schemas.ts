import { z } from 'zod/v4';
import { academicYear, page, recordRef, text } from '../http/contract/fields';
import { APPROVER_ROLES, BREAKS, CAMPAIGN_STATES, DEPARTMENT_KINDS, PLAN_STATES, TARGET_TYPES, VISIT_KINDS, VISIT_MODES, VISITOR_ROLES } from './visit-vocabulary';

/**
 * The shapes the home-visit API accepts. Types, enumerations and unknown fields are checked here; the
 * rules that need the database or the clock (deadlines, coverage, students of the college) are the
 * services', with their own messages.
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2027-01-10');
const deadline = z.string().max(40).describe('Asia/Shanghai wall-clock time such as "2026-12-29 12:00", or an ISO date-time with an offset');
const photos = z.number().int().min(0).max(50);
const percent = z
  .number()
  .min(0.01)
  .max(100)
  .refine((v) => v < 0.01 || Math.abs(v * 100 - Math.round(v * 100)) < 1e-9, 'at most two decimals')
  .describe('share of the college’s students to visit, in percent (default 1)');

const campaignFields = {
  title: text(100).trim().min(1),
  theme: text(200),
  notice: text(20_000).describe('the notice text (通知正文)'),
  academicYear: academicYear.describe('default: the academic year the visit window starts in'),
  break: z.enum(BREAKS),
  visitStartsOn: day,
  visitEndsOn: day,
  planDueAt: deadline,
  statisticsDueAt: deadline.describe('default: the plan deadline (seed 001: both due 29 Dec 12:00)'),
  materialsDueAt: deadline,
  departments: z.array(z.object({ kind: z.enum(DEPARTMENT_KINDS), name: text(60).trim().min(1) }).strict()).max(20),
  colleges: z.array(recordRef).max(500).describe('participating colleges (id or code); default: every college'),
  coveragePercent: percent,
  leaderVisitsCount: z.boolean().describe('whether school-leader visits count towards the college’s coverage (default true)'),
  evidence: z.object({ onsite: photos, video: photos, phone: photos }).strict().describe('fewest photos per visit mode (D7)'),
  approvalSteps: z.array(z.enum(APPROVER_ROLES)).min(1).max(APPROVER_ROLES.length).describe('who approves, in order (default collegeLeader, studentAffairs)'),
};

export const campaignBody = z
  .object(campaignFields)
  .partial({ theme: true, notice: true, academicYear: true, statisticsDueAt: true, materialsDueAt: true, departments: true, colleges: true, coveragePercent: true, leaderVisitsCount: true, evidence: true, approvalSteps: true })
  .strict();
export const campaignPatch = z.object(campaignFields).partial().strict();

export const extensionBody = z.object({ college: recordRef, until: deadline, reason: text(500).trim().min(1) }).strict();

/** A visitor as a request names one: a member of staff, or a name and role. */
export const visitor = z
  .object({
    user: recordRef.optional().describe('staff id or username'),
    name: text(30).trim().min(1).optional().describe('required when no user is named'),
    role: z.enum(VISITOR_ROLES).optional().describe('default: from the staff member’s role'),
  })
  .strict();

export const planEntry = z
  .object({
    id: z.string().regex(/^[0-9a-f]{24}$/, 'must be the id of an entry of this plan').optional().describe('keep it to change an entry; leave it out for a new one'),
    student: recordRef.describe('archive id or student number'),
    targetType: z.enum(TARGET_TYPES).optional().describe('default current'),
    mode: z.enum(VISIT_MODES),
    kind: z.enum(VISIT_KINDS),
    visitors: z.array(visitor).min(1).max(10),
    plannedOn: day.optional(),
    note: text(500).optional(),
  })
  .strict();

export const implementationBody = z
  .object({ organization: text(5000), schedule: text(5000), safety: text(5000), other: text(5000) })
  .partial()
  .strict();

export const planBody = z.object({ entries: z.array(planEntry).max(2000), implementation: implementationBody.optional() }).strict();
/**
 * `onBehalfOf` (user id or username): the approver who decided outside the service (an n8n approval
 * message) — recorded as theirs, checked against their role and scope, sent by a key with `visitPlans:relay`.
 */
const onBehalfOf = z.string().trim().min(1).max(100).describe('the approver who decided (user id or username); needs visitPlans:relay');
export const returnBody = z.object({ reason: text(1000).optional(), onBehalfOf: onBehalfOf.optional() }).strict();
export const approveBody = z.object({ onBehalfOf: onBehalfOf.optional() }).strict();

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a record id');
export const campaignParams = z.object({ id: objectId }).strict();
export const studentVisitParams = z.object({ id: recordRef.describe('archive id or student number') }).strict();
export const planParams = z.object({ id: objectId, college: recordRef.describe('college id or code') }).strict();
export const campaignListQuery = z.object({ state: z.enum(CAMPAIGN_STATES).optional(), ...page(100) }).strict();
export const planListQuery = z.object({ campaign: objectId, state: z.enum(PLAN_STATES).optional(), ...page(500) }).strict();
export const printQuery = z.object({ version: z.enum(['current', 'approved']).optional().describe('default: the approved version when there is one') }).strict();

export const visitLabels = {
  title: '标题',
  theme: '主题',
  notice: '通知正文',
  academicYear: '学年',
  break: '假期',
  visitStartsOn: '家访开始日期',
  visitEndsOn: '家访结束日期',
  planDueAt: '申报截止时间',
  statisticsDueAt: '统计表截止时间',
  materialsDueAt: '材料报送截止时间',
  departments: '参与部门',
  'departments.kind': '部门类别',
  'departments.name': '部门名称',
  colleges: '参与学院',
  coveragePercent: '家访比例',
  leaderVisitsCount: '校领导家访计入比例',
  evidence: '佐证要求',
  approvalSteps: '审批顺序',
  college: '学院',
  until: '延期至',
  reason: '原因',
  entries: '家访对象',
  'entries.id': '条目编号',
  'entries.student': '学生',
  'entries.targetType': '对象类别',
  'entries.mode': '家访方式',
  'entries.kind': '家访类型',
  'entries.visitors': '家访人员',
  'entries.visitors.user': '家访人员',
  'entries.visitors.name': '家访人员姓名',
  'entries.visitors.role': '家访人员身份',
  'entries.plannedOn': '计划日期',
  'entries.note': '备注',
  implementation: '实施方案',
  'implementation.organization': '组织安排',
  'implementation.schedule': '时间安排',
  'implementation.safety': '安全预案',
  'implementation.other': '其他',
  id: '编号',
  campaign: '家访活动',
  state: '状态',
  version: '版本',
  limit: '每页条数',
  skip: '跳过条数',
};
