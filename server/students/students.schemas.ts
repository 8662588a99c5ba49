import { z } from 'zod/v4';
import { AUDIT_REASON_MAX_LENGTH } from '../audit/audit-entry.model';
import { academicYear, page, queryFlag, recordRef, text } from '../http/contract/fields';

/**
 * The shapes the archive API accepts. Types and unknown fields are checked here; the archive rules
 * (formats, required fields, plausible dates) are `parseArchiveInput`'s, with their own messages.
 */
const guardian = z.object({ name: z.string(), relation: z.string(), phone: z.string() }).strict();

export const archiveBody = z
  .object({
    studentNo: z.string(),
    name: z.string(),
    gender: z.string(),
    birthDate: z.string().describe('YYYY-MM-DD (a calendar day; an ISO date-time counts as its day in Asia/Shanghai)'),
    college: z.string().describe('college id, code or name'),
    major: z.string(),
    grade: z.string().describe('year of entry, e.g. 2024'),
    className: z.string(),
    counselor: z.string().nullable().describe('counselor id or username'),
    guardians: z.array(guardian).max(10),
    homeAddress: z.string(),
    careTier: z.string().describe('special / key / general (特殊 / 重点 / 一般)'),
    specialCategories: z.union([z.array(z.string()).max(10), z.string().describe('categories separated by 、 , or ;')]),
    supportPlan: z.string(),
    medicalHistory: z.string().nullable(),
    psychologicalFlags: z.string().nullable(),
    familyFinances: z.string().nullable(),
  })
  .partial()
  .strict();

export const studentListQuery = z
  .object({
    q: text(60).optional().describe('name, or student-number prefix'),
    grade: text(4).optional(),
    major: text(60).optional(),
    careTier: z.enum(['special', 'key', 'general']).optional(),
    counselor: recordRef.optional().describe('counselor id or username'),
    college: recordRef.optional(),
    stale: queryFlag.optional(),
    academicYear: academicYear.optional(),
    after: text(40).optional().describe('key paging: the page after this student number (the previous page’s `next`); no total is counted'),
    ...page(500),
  })
  .strict()
  .refine((q) => q.after === undefined || q.skip === 0, { path: ['skip'], message: 'skip and after cannot be combined / skip 与 after 不能同时使用' });

export const studentParams = z.object({ id: recordRef.describe('archive id or student number') }).strict();
export const yearQuery = z.object({ academicYear: academicYear.optional() }).strict();
/** `include` (default, unchanged for API clients): the sensitive values for those who may see them, each read audited; `omit`: none decrypted, nothing audited. */
const sensitiveMode = z.enum(['include', 'omit']);
export const studentReadQuery = z
  .object({ sensitive: sensitiveMode.optional().describe('omit: no sensitive value is decrypted or audited; `sensitiveAccess` says which are held and whether (with a reason?) the caller may open them') })
  .strict();
export const diffQuery = z.object({ from: academicYear.optional(), to: academicYear.optional(), sensitive: sensitiveMode.optional().describe('omit: changed sensitive fields are named without values, nothing audited') }).strict();
export const sensitiveReadBody = z
  .object({ reason: text(AUDIT_REASON_MAX_LENGTH).optional().describe('which field and why; required (at least 5 characters) unless the caller is the student’s own counselor') })
  .strict();

export const assistanceBody = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be a date such as 2026-03-01'),
    kind: text(60).trim().min(1),
    description: text(2000).trim().min(1),
  })
  .strict();

/** A multipart upload that carries only its file. */
export const noFields = z.object({}).strict();
