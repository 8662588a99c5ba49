import { z } from 'zod/v4';
import { academicYear, page, queryFlag, recordRef, text } from '../http/contract/fields';
import { DELIVERY_STATES, LETTER_CAMPAIGN_STATES, LETTER_CHANNELS, TERMS } from './letter-vocabulary';

const deadline = z.string().max(40).describe('Asia/Shanghai wall-clock time such as "2027-01-20 18:00", or an ISO date-time with an offset');
const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a record id');
const letterId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a letter id');

const campaignFields = {
  title: text(100).trim().min(1),
  term: z.enum(TERMS),
  academicYear: academicYear.describe('default: the academic year of today'),
  html: text(200_000).describe('the letter as rich text (paragraphs, headings, lists, pictures uploaded with POST /api/files)'),
  audience: z
    .object({
      colleges: z.array(recordRef).max(500).describe('colleges (id or code); empty: every college'),
      grades: z.array(z.string().trim().min(1).max(10)).max(20).describe('grades such as 2024; empty: every grade'),
    })
    .partial()
    .strict(),
  channels: z.array(z.enum(LETTER_CHANNELS)).min(1).max(LETTER_CHANNELS.length).describe('in order of preference; a family without a phone or e-mail gets a printed letter'),
  sendAt: deadline.describe('when sending starts; default: at launch'),
  feedbackDueAt: deadline,
  responseDays: z.number().int().min(1).max(60).describe('working days an owner has to respond to a feedback'),
  reminderAfterDays: z.number().int().min(0).max(60).describe('days after sending before a family that has not opened the letter is reminded'),
};

export const letterCampaignBody = z
  .object({ ...campaignFields, template: objectId.optional().describe('an earlier campaign whose letter and channels to start from') })
  .partial({ academicYear: true, html: true, audience: true, channels: true, sendAt: true, responseDays: true, reminderAfterDays: true })
  .strict();
export const letterCampaignPatch = z.object(campaignFields).partial().strict();
export const letterCampaignParams = z.object({ id: objectId }).strict();
export const letterCampaignListQuery = z.object({ state: z.enum(LETTER_CAMPAIGN_STATES).optional(), ...page(100) }).strict();
export const sectionParams = z.object({ id: objectId, college: recordRef }).strict();
export const sectionBody = z.object({ html: text(50_000) }).strict();
export const previewQuery = z.object({ college: recordRef.optional() }).strict();
export const outboxBody = z.object({ channel: z.enum(['sms', 'email']) }).strict();
export const deliveriesBody = z
  .object({
    items: z
      .array(z.object({ letter: letterId, state: z.enum(DELIVERY_STATES).exclude(['pending']), error: text(500).optional() }).strict())
      .min(1)
      .max(100),
  })
  .strict();
export const familyLetterListQuery = z
  .object({
    campaign: objectId,
    college: recordRef.optional(),
    counselor: objectId.optional(),
    opened: queryFlag.optional(),
    answered: queryFlag.optional(),
    ...page(200),
  })
  .strict();
export const familyLetterParams = z.object({ id: letterId }).strict();

export const letterLabels = {
  title: '标题',
  term: '学期',
  academicYear: '学年',
  html: '信件正文',
  audience: '发送对象',
  'audience.colleges': '学院',
  'audience.grades': '年级',
  channels: '发送渠道',
  sendAt: '发送时间',
  feedbackDueAt: '反馈截止时间',
  responseDays: '回应期限（工作日）',
  reminderAfterDays: '未读提醒天数',
  template: '沿用的往期信件',
  state: '状态',
  college: '学院',
  channel: '渠道',
  limit: '数量',
  items: '发送结果',
  'items.letter': '信件',
  'items.state': '发送状态',
  'items.error': '失败原因',
  campaign: '活动',
  counselor: '辅导员',
  opened: '是否已读',
  answered: '是否已反馈',
  id: '编号',
};
