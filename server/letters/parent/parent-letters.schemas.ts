import { z } from 'zod/v4';
import { FEEDBACK_TOPICS } from '../letter-vocabulary';

/** The link token as it appears in the path; it is checked against the letter, never trusted by its shape alone. */
const token = z.string().max(120).describe('the link token `<letter id>.<secret>`');

export const letterParams = z.object({ token }).strict();
export const pictureParams = z.object({ token, fileId: z.string().regex(/^[0-9a-f]{24}$/, 'must be a file id') }).strict();
export const ticketParams = z.object({ token, ticketId: z.string().min(1).max(200) }).strict();

export const feedbackBody = z
  .object({
    submissionId: z
      .string()
      .regex(/^[A-Za-z0-9-]{8,64}$/, 'must be the id the page made for this form (8–64 letters, digits or -)')
      .describe('made once per filled form (a UUID) and sent again on every retry: a retried form makes nothing twice'),
    items: z
      .array(z.object({ topic: z.enum(FEEDBACK_TOPICS), text: z.string().min(1).max(2000) }).strict())
      .min(1)
      .max(5)
      .describe('opinions and suggestions, one per topic'),
    contactWish: z
      .object({
        wanted: z.boolean(),
        phone: z.string().regex(/^[0-9+\- ]{5,20}$/, 'must be a phone number').optional(),
        when: z.string().max(100).optional(),
      })
      .strict()
      .optional()
      .describe('the parent would like to be called: a number and a convenient time (optional)'),
  })
  .strict();

export const reopenBody = z.object({ reason: z.string().max(1000).optional().default('') }).strict();

export const parentLabels = {
  token: '链接',
  fileId: '图片',
  ticketId: '反馈',
  submissionId: '提交编号',
  items: '反馈内容',
  'items.topic': '反馈主题',
  'items.text': '反馈内容',
  contactWish: '联系意愿',
  'contactWish.wanted': '是否希望联系',
  'contactWish.phone': '联系电话',
  'contactWish.when': '方便联系的时间',
  reason: '原因',
};
