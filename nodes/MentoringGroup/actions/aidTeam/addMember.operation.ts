import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';
import { dateText, studentIdField, text } from '../common.descriptions';

const show = (p: INodeProperties) => field('aidTeam', ['addMember'], p);

export const description: INodeProperties[] = [
  studentIdField('aidTeam', ['addMember'], 'The archive ID of a hardship student in good standing'),
  show({
    displayName: 'Role (队内角色)',
    name: 'role',
    type: 'options',
    default: 'member',
    options: [
      { name: 'Captain (队长)', value: 'captain' },
      { name: 'Member (队员)', value: 'member' },
      { name: 'Vice Captain (副队长)', value: 'viceCaptain' },
    ],
  }),
  show({ displayName: 'From (加入日期)', name: 'from', type: 'dateTime', default: '', required: true }),
  show({ displayName: 'To (离队日期)', name: 'to', type: 'dateTime', default: '', description: 'Empty: open-ended' }),
];

/** E1: a student joins the aid service team; the service refuses one not eligible, naming every reason (NOT_ELIGIBLE). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const body: IDataObject = { student: text(this, 'student', itemIndex), role: this.getNodeParameter('role', itemIndex), from: dateText(this.getNodeParameter('from', itemIndex)).slice(0, 10) };
  const to = dateText(this.getNodeParameter('to', itemIndex, '')).slice(0, 10);
  if (to) body.to = to;
  return (await apiRequest.call(this, 'POST', '/api/aid-team/members', { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'aid-team-member') })) as IDataObject;
}
