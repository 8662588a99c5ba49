import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as close from './close.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as reassign from './reassign.operation';
import * as recordFollowThrough from './recordFollowThrough.operation';
import * as respond from './respond.operation';

export { close, get, getMany, reassign, recordFollowThrough, respond };

export const description: INodeProperties[] = [
  operationOptions('feedback', [
    { name: 'Close', value: 'close', action: 'Close a feedback', description: 'Once answered and acted upon (办结)' },
    { name: 'Get', value: 'get', action: 'Get a feedback' },
    { name: 'Get Many', value: 'getMany', action: 'Get many feedbacks', description: 'By campaign, college, state, owner, overdue (家长反馈)' },
    { name: 'Reassign', value: 'reassign', action: 'Reassign a feedback', description: 'Hand it to another staff member (改派)' },
    { name: 'Record Follow-Through', value: 'recordFollowThrough', action: 'Record what was done about a feedback', description: 'What was done, by whom, when (落实情况)' },
    { name: 'Respond', value: 'respond', action: 'Respond to a feedback', description: 'The answer the parent reads (回应)' },
  ], 'get'),
  ...close.description,
  ...get.description,
  ...getMany.description,
  ...reassign.description,
  ...recordFollowThrough.description,
  ...respond.description,
];
