import { z } from 'zod/v4';
import { page, recordRef, text } from '../../http/contract/fields';
import { PUBLICITY_CHANNELS } from './typical-case-vocabulary';

/** The shapes the typical-case API accepts (D9); what the records must say is the service's check. */
const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a record id');
const reportId = z.string().regex(/^[0-9a-f]{24}:[0-9a-f]{24}:(?:unplanned-)?[0-9a-f]{24}$/, 'must be the id of a visit report');
const distinct = <T extends z.ZodTypeAny>(item: T, max: number) => z.array(item).max(max).refine((list) => new Set(list).size === list.length, 'each at most once');
const title = text(100).trim().min(1, 'a case needs a title / 案例须有标题');

export const caseBody = z
  .object({
    student: recordRef.describe('archive id or student number'),
    reports: distinct(reportId, 20).min(1, 'a case draws on at least one submitted visit report / 至少引用一份已提交的家访报告').describe('the student’s submitted visit reports the case draws on'),
    title,
    before: text(5000).optional().describe('the student before the visit'),
    after: text(5000).optional().describe('after the visit'),
    afterGraduation: text(5000).optional().describe('after graduation (often added later)'),
    pictures: distinct(objectId, 12).optional().describe('stored-file ids of photos of those reports'),
  })
  .strict();

export const casePatch = z
  .object({ reports: caseBody.shape.reports, title, before: text(5000), after: text(5000), afterGraduation: text(5000), pictures: distinct(objectId, 12) })
  .partial()
  .strict();

export const consentBody = z
  .object({
    channels: distinct(z.enum(PUBLICITY_CHANNELS), PUBLICITY_CHANNELS.length).min(1, 'name at least one channel / 至少选择一个授权范围').describe('internal, wechat (推文), website (学院官网)'),
    student: z.literal(true).describe('the student consented (required)'),
    guardian: z.object({ name: text(30).trim(), relation: text(20).optional() }).strict().nullable().optional().describe('required when the student is a minor or the family appears'),
    familyAppears: z.boolean().optional(),
    evidence: z.string().trim().max(300).nullable().optional().describe('the signed consent form: id or URL of an upload'),
    note: text(500).optional(),
  })
  .strict();

export const withdrawBody = z.object({ reason: text(500).trim().min(1, 'a withdrawal needs the reason / 撤回须说明原因') }).strict();
export const caseParams = z.object({ id: objectId }).strict();
export const pictureParams = z.object({ id: objectId, file: objectId }).strict();
export const publicityQuery = z.object({ channel: z.enum(PUBLICITY_CHANNELS) }).strict();
export const caseListQuery = z.object({ campaign: objectId.optional(), college: recordRef.optional(), ...page(200) }).strict();
