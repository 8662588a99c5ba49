import type { INodeProperties } from 'n8n-workflow';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export { create, get, getMany, update };

export const description: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['submission'] } },
    options: [
      { name: 'Create', value: 'create', action: 'Create a submission', description: 'Submit a form (validated by the service)' },
      { name: 'Get', value: 'get', action: 'Get a submission' },
      { name: 'Get Many', value: 'getMany', action: 'Get many submissions', description: 'List the submissions of a form' },
      { name: 'Update', value: 'update', action: 'Update a submission' },
    ],
    default: 'create',
  },
  ...create.description,
  ...get.description,
  ...getMany.description,
  ...update.description,
];
