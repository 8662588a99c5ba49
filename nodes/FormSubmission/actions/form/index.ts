import type { INodeProperties } from 'n8n-workflow';
import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['form'] } },
    options: [{ name: 'Get Many', value: 'getMany', action: 'Get many forms', description: 'List the forms and their latest versions' }],
    default: 'getMany',
  },
  ...getMany.description,
];
