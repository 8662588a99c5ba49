import { z } from 'zod/v4';
import { queryFlag, queryInt, recordRef } from '../../http/contract/fields';
import { FEEDBACK_TOPICS, TICKET_STATES } from '../letter-vocabulary';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a record id');
/** `<letter>:<submission>:<topic>` (the submission id is the parent page's uuid). */
const ticketId = z.string().regex(/^[0-9a-f]{24}:[A-Za-z0-9-]{1,64}:[A-Za-z]{1,20}$/, 'must be a feedback ticket id');

export const ticketListQuery = z
  .object({
    campaign: objectId.optional(),
    college: recordRef.optional().describe('college id or code'),
    state: z.enum(TICKET_STATES).optional(),
    owner: z.union([z.literal('me'), objectId]).optional().describe('`me` or a user id'),
    overdue: queryFlag.optional().describe('true: open tickets past their due date'),
    limit: queryInt(1, 200).optional().default(50),
    after: z.string().max(120).regex(/^\d{1,15}\.[^.]{1,100}$/, 'must be the `next` of the previous page').optional().describe('the `next` of the previous page'),
  })
  .strict();

export const ticketParams = z.object({ id: ticketId }).strict();
export const ticketTextBody = z.object({ text: z.string().trim().min(1).max(2000) }).strict();
export const reassignBody = z.object({ owner: recordRef.describe('user id or username') }).strict();

export const routingRulesBody = z
  .object({
    rules: z
      .array(
        z
          .object({
            topic: z.string().max(40).describe(`one of ${FEEDBACK_TOPICS.join(', ')}`),
            college: recordRef.optional().describe('college id or code; absent: every college'),
            owner: recordRef.describe('user id or username of the person who answers'),
            note: z.string().max(200).optional(),
          })
          .strict(),
      )
      .max(200),
  })
  .strict();

export const ticketLabels = {
  campaign: '活动',
  college: '学院',
  state: '状态',
  owner: '负责人',
  overdue: '是否逾期',
  limit: '数量',
  after: '分页位置',
  id: '编号',
  text: '内容',
  rules: '分派规则',
  'rules.topic': '反馈类别',
  'rules.college': '学院',
  'rules.owner': '负责人',
  'rules.note': '说明',
};
