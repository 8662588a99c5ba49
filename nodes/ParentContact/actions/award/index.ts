import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as getLetter from './getLetter.operation';
import * as record from './record.operation';
import * as recordDelivery from './recordDelivery.operation';

export { getLetter, record, recordDelivery };

export const description: INodeProperties[] = [
  operationOptions('award', [
    { name: 'Get Letter', value: 'getLetter', action: 'Get the good news letter of an award' },
    { name: 'Record', value: 'record', action: 'Record an award or penalty' },
    { name: 'Record Delivery', value: 'recordDelivery', action: 'Record the delivery of a good news letter' },
  ], 'record'),
  ...getLetter.description,
  ...record.description,
  ...recordDelivery.description,
];
