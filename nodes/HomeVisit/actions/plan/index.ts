import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as approve from './approve.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as returnPlan from './return.operation';
import * as submit from './submit.operation';

export { approve, get, getMany, returnPlan, submit };

export const description: INodeProperties[] = [
  operationOptions('plan', [
    { name: 'Approve', value: 'approve', action: 'Approve a plan', description: 'Approve the step now due (审批通过)' },
    { name: 'Get', value: 'get', action: 'Get a college plan' },
    { name: 'Get Many', value: 'getMany', action: 'Get many plans of a campaign' },
    { name: 'Return', value: 'return', action: 'Return a plan to the college', description: 'Send the plan back with a reason (退回)' },
    { name: 'Submit', value: 'submit', action: 'Submit a plan for approval', description: 'Submit the college’s plan; coverage and deadline are checked (提交审批)' },
  ], 'get'),
  ...approve.description,
  ...get.description,
  ...getMany.description,
  ...returnPlan.description,
  ...submit.description,
];
