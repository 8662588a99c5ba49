import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as confirm from './confirm.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as search from './search.operation';
import * as update from './update.operation';

export { confirm, create, get, search, update };

export const description: INodeProperties[] = [
  operationOptions('student', [
    { name: 'Confirm', value: 'confirm', action: 'Confirm an archive for this academic year' },
    { name: 'Create', value: 'create', action: 'Create an archive' },
    { name: 'Get', value: 'get', action: 'Get an archive' },
    { name: 'Search', value: 'search', action: 'Search archives' },
    { name: 'Update', value: 'update', action: 'Update an archive' },
  ], 'get'),
  ...confirm.description,
  ...create.description,
  ...get.description,
  ...search.description,
  ...update.description,
];
