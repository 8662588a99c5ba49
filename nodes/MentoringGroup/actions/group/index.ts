import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as approve from './approve.operation';
import * as changeMembers from './changeMembers.operation';
import * as close from './close.operation';
import * as get from './get.operation';
import * as getInactive from './getInactive.operation';
import * as getMany from './getMany.operation';
import * as getReport from './getReport.operation';
import * as logActivity from './logActivity.operation';
import * as propose from './propose.operation';
import * as reject from './reject.operation';
import * as suggestMentors from './suggestMentors.operation';

export { approve, changeMembers, close, get, getInactive, getMany, getReport, logActivity, propose, reject, suggestMentors };

export const description: INodeProperties[] = [
  operationOptions('group', [
    { name: 'Approve', value: 'approve', action: 'Approve a proposed group', description: 'The group starts its work (批准成立)' },
    { name: 'Change Members', value: 'changeMembers', action: 'Change the members of a group', description: 'Members join or leave, the leader changes (成员调整)' },
    { name: 'Close', value: 'close', action: 'Close a group', description: 'End the mentoring with the student’s outcome (结束帮扶)' },
    { name: 'Get', value: 'get', action: 'Get a group' },
    { name: 'Get Inactive', value: 'getInactive', action: 'Get the silent groups', description: 'Active groups with no activity for weeks (久未活动)' },
    { name: 'Get Many', value: 'getMany', action: 'Get many groups', description: 'By state, college, member, student (帮扶小组)' },
    { name: 'Get Report', value: 'getReport', action: 'Get the mentoring report', description: 'Groups, outcomes and activities by college for a period (统计报告)' },
    { name: 'Log Activity', value: 'logActivity', action: 'Log a mentoring activity', description: 'A meeting, call, visit or activity with the student (帮扶记录)' },
    { name: 'Propose', value: 'propose', action: 'Propose a group', description: 'Three to five staff for a special student, for approval (组建申请)' },
    { name: 'Reject', value: 'reject', action: 'Reject a proposed group', description: 'With a reason (不予批准)' },
    { name: 'Suggest Mentors', value: 'suggestMentors', action: 'Suggest mentors for a student', description: 'Staff of the college, least loaded first (推荐成员)' },
  ], 'get'),
  ...approve.description,
  ...changeMembers.description,
  ...close.description,
  ...get.description,
  ...getInactive.description,
  ...getMany.description,
  ...getReport.description,
  ...logActivity.description,
  ...propose.description,
  ...reject.description,
  ...suggestMentors.description,
];
