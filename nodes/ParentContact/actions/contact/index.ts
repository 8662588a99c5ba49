import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as getOverdue from './getOverdue.operation';
import * as log from './log.operation';

export { getOverdue, log };

export const description: INodeProperties[] = [
  operationOptions('contact', [
    { name: 'Get Overdue', value: 'getOverdue', action: 'Get overdue contacts by counselor' },
    { name: 'Log', value: 'log', action: 'Log a contact with the family' },
  ], 'log'),
  ...getOverdue.description,
  ...log.description,
];
