import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as close from './close.operation';
import * as escalate from './escalate.operation';
import * as getMany from './getMany.operation';
import * as open from './open.operation';

export { close, escalate, getMany, open };

export const description: INodeProperties[] = [
  operationOptions('case', [
    { name: 'Close', value: 'close', action: 'Close a case with a logged contact' },
    { name: 'Escalate Overdue', value: 'escalate', action: 'Escalate overdue cases' },
    { name: 'Get Many', value: 'getMany', action: 'Get many cases' },
    { name: 'Open', value: 'open', action: 'Open a key communication case' },
  ], 'open'),
  ...close.description,
  ...escalate.description,
  ...getMany.description,
  ...open.description,
];
