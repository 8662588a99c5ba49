import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as addMember from './addMember.operation';
import * as getSummary from './getSummary.operation';
import * as logActivity from './logActivity.operation';

export { addMember, getSummary, logActivity };

export const description: INodeProperties[] = [
  operationOptions('aidTeam', [
    { name: 'Add Member', value: 'addMember', action: 'Add a student to the aid service team', description: 'A hardship student in good standing (加入服务队)' },
    { name: 'Get Summary', value: 'getSummary', action: 'Get the service summary', description: 'Activities and hours in a year (服务统计)' },
    { name: 'Log Activity', value: 'logActivity', action: 'Log a team activity', description: 'With each member’s hours (活动登记)' },
  ], 'getSummary'),
  ...addMember.description,
  ...getSummary.description,
  ...logActivity.description,
];
