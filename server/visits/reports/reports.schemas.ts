import { z } from 'zod/v4';
import { page, queryFlag, recordRef, text } from '../../http/contract/fields';
import { TARGET_TYPES, VISIT_KINDS, VISIT_MODES } from '../visit-vocabulary';
import { visitor } from '../visits.schemas';
import { proposalsPatch } from './proposals/archive-proposals.schemas';
import { AID_POLICIES, ORIENTATIONS, REPAYMENT_INTENTIONS, REPORT_FIELD_ZH, REPORT_STATES, SAFETY_TOPICS } from './report-vocabulary';

/**
 * The shapes the visit-report API accepts. Types, enumerations and unknown fields are checked here; what
 * a submission needs (the content complete for its target group, the campaign's evidence rule) is the
 * service's, with its own messages.
 */
const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a record id');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2027-01-20');
const fileRef = z.string().trim().max(300).describe('a stored file: its id or the URL the upload answered (…/api/files/<id>)');
const distinct = <T extends z.ZodTypeAny>(item: T, max: number) => z.array(item).max(max).refine((list) => new Set(list).size === list.length, 'each choice at most once');

/**
 * `POST /api/visit-reports`: from an approved plan entry (`college`, `entryId`), or an unplanned visit of a
 * student (`student`, `reason`, `mode`). Which of the two is the service's check, with its own message.
 */
export const startBody = z
  .object({
    campaign: objectId,
    college: recordRef.optional().describe('planned visit: the college (id or code) of the plan'),
    entryId: objectId.optional().describe('planned visit: the approved plan entry visited'),
    student: recordRef.optional().describe('unplanned visit: archive id or student number'),
    reason: text(500).trim().optional().describe('unplanned visit: why it was made outside the plan (required)'),
    mode: z.enum(VISIT_MODES).optional().describe('unplanned visit: how it was made (required)'),
    kind: z.enum(VISIT_KINDS).optional().describe('unplanned visit; default general'),
    targetType: z.enum(TARGET_TYPES).optional().describe('unplanned visit; default current'),
    visitors: z.array(visitor).min(1).max(10).optional().describe('unplanned visit; default: the caller'),
  })
  .strict();

/** `PATCH /api/visit-reports/:id`: each field given replaces the stored one; fields left out stay as they are. */
export const contentPatch = z
  .object({
    visitedOn: day.nullable(),
    place: text(200),
    metWith: text(60).describe('whom of the family the visitor met (name and relation)'),
    orientations: distinct(z.enum(ORIENTATIONS), ORIENTATIONS.length),
    familyState: text(3000),
    psychologicalState: text(3000).describe('sealed; readable only within the sensitive scope'),
    emotionalState: text(3000),
    studyState: text(3000),
    personality: text(1000),
    familyFinances: text(3000).describe('sealed; readable only within the sensitive scope'),
    safetyEducation: distinct(z.enum(SAFETY_TOPICS), SAFETY_TOPICS.length),
    aidPolicies: distinct(z.enum(AID_POLICIES), AID_POLICIES.length),
    graduateDevelopment: text(3000),
    loan: z.object({ repaymentIntention: z.enum(REPAYMENT_INTENTIONS).optional(), reminderGiven: z.boolean().optional(), note: text(1000).optional() }).strict().nullable(),
    account: text(10_000),
    reflections: text(5000),
    parentOpinion: text(3000),
    followUp: z.object({ needed: z.boolean(), needs: text(2000).optional() }).strict(),
    photos: distinct(fileRef, 30),
    media: distinct(fileRef, 10),
    proposals: proposalsPatch,
  })
  .partial()
  .strict();

export const reportParams = z
  .object({ id: z.string().regex(/^[0-9a-f]{24}:[0-9a-f]{24}:(?:unplanned-)?[0-9a-f]{24}$/, 'must be the id of a visit report') })
  .strict();
export const versionParams = reportParams.extend({ version: z.string().regex(/^\d{1,4}$/, 'must be a version number').transform(Number) }).strict();
export const reportReturnBody = z.object({ reason: text(1000).trim().min(1, 'a returned report needs the reason / 退回须说明原因') }).strict();
export const mineQuery = z.object({ campaign: objectId }).strict();
export const missingQuery = z
  .object({
    campaign: objectId.optional().describe('default: every open campaign'),
    college: recordRef.optional(),
    graceDays: z.string().regex(/^\d{1,2}$/, 'must be a number of days from 0 to 60').transform(Number).refine((n) => n <= 60, 'must be a number of days from 0 to 60').optional().describe('days after the planned day before a report counts as missing; default HSB_VISIT_REPORT_GRACE_DAYS'),
  })
  .strict();
export const reportListQuery = z
  .object({ campaign: objectId, college: recordRef.optional(), state: z.enum(REPORT_STATES).optional(), unplanned: queryFlag.optional(), ...page(500) })
  .strict();

export const reportLabels: Record<string, string> = {
  ...REPORT_FIELD_ZH,
  id: '编号',
  campaign: '家访活动',
  college: '学院',
  entryId: '计划条目',
  student: '学生',
  reason: '计划外家访原因',
  mode: '家访方式',
  kind: '家访类型',
  targetType: '对象类别',
  visitors: '家访人员',
  'visitors.user': '家访人员',
  'visitors.name': '家访人员姓名',
  'visitors.role': '家访人员身份',
  version: '版本',
  state: '状态',
  unplanned: '计划外家访',
  graceDays: '宽限天数',
  limit: '每页条数',
  skip: '跳过条数',
  proposals: '档案变更建议',
};
