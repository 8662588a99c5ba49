import { z } from 'zod/v4';
import { page, text } from '../../http/contract/fields';
import { CALL_OUTCOMES } from './reach.service';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a record id');

export const reminderParams = z.object({ id: objectId }).strict();
export const callListQuery = z.object({ campaign: objectId, ...page(500) }).strict();
export const callParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'must be a letter id') }).strict();
export const callBody = z.object({ outcome: z.enum(CALL_OUTCOMES), note: text(2000).optional() }).strict();

export const reachLabels = {
  id: '编号',
  campaign: '活动',
  limit: '数量',
  skip: '跳过',
  outcome: '通话结果',
  note: '通话记录',
};
