import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as byCounselor from './byCounselor.operation';
import * as getMany from './getMany.operation';

export { byCounselor, getMany };

export const description: INodeProperties[] = [
  operationOptions('staleArchive', [
    { name: 'Count by Counselor', value: 'byCounselor', action: 'Count stale archives by counselor' },
    { name: 'Get Many', value: 'getMany', action: 'Get many stale archives' },
  ], 'byCounselor'),
  ...byCounselor.description,
  ...getMany.description,
];
