import { z } from 'zod/v4';
import { CARE_TIERS } from '../students/student.model';
import { CASE_CATEGORIES } from './key-case.model';

const objectIdText = z.string().regex(/^[0-9a-f]{24}$/, 'a record id');
import { page, queryFlag, queryInt, recordRef } from '../http/contract/fields';

/**
 * The shapes the liaison API accepts. Types and unknown fields are checked here; the domain rules
 * (channels, topics, categories, dates, required text) are the services', with their own messages.
 */
export const contactBody = z
  .object({
    student: z.string().describe('student number or archive id'),
    guardianName: z.string(),
    channel: z.string().describe('phone, letter, sms, online, meeting, homeVisit'),
    topics: z.array(z.string()).max(10),
    summary: z.string(),
    parentFeedback: z.string(),
    followUps: z.array(z.object({ action: z.string(), due: z.string().optional() }).strict()).max(20),
    contactedAt: z.string().describe('ISO date-time; defaults to now'),
  })
  .partial()
  .strict();

export const caseBody = z
  .object({ student: z.string(), category: z.string(), description: z.string(), department: z.string().max(60).optional() })
  .partial({ student: true, category: true, description: true })
  .strict();

export const closeCaseBody = z.object({ contact: z.string(), resolution: z.string() }).partial().strict();

export const awardBody = z
  .object({
    student: z.string(),
    kind: z.string().describe('award or penalty'),
    title: z.string(),
    level: z.string(),
    category: z.string(),
    date: z.string(),
    description: z.string().max(3000),
    wideImpact: z.boolean(),
  })
  .partial()
  .strict();

export const notifiedBody = z.object({ contact: z.string() }).partial().strict();
export const deliveryBody = z.object({ channel: z.string(), note: z.string().max(500).optional() }).partial({ channel: true }).strict();

export const idParams = z.object({ id: recordRef }).strict();
export const contactListQuery = z.object({ student: recordRef.optional(), ...page(200) }).strict();
/** The overdue list is bounded: a digest names at most `limit` students (and says when there are more). */
export const overdueQuery = z.object({ counselor: recordRef.optional(), college: objectIdText.optional(), tier: z.enum(CARE_TIERS).optional(), limit: queryInt(1, 20_000).optional() }).strict();
export const caseListQuery = z.object({ status: z.enum(['open', 'closed']).optional(), overdue: queryFlag.optional(), student: recordRef.optional(), college: objectIdText.optional(), owner: objectIdText.optional(), category: z.enum(CASE_CATEGORIES).optional(), ...page(200) }).strict();
export const awardListQuery = z
  .object({
    notifyStatus: z.enum(['open', 'closed']).optional(),
    student: recordRef.optional().describe('archive id or student number'),
    goodNews: queryFlag.optional().describe('true: only those with a 喜报'),
    college: objectIdText.optional(),
    owner: objectIdText.optional(),
    since: z.iso.datetime().optional().describe('awards dated at or after this instant'),
    ...page(200),
  })
  .strict();
