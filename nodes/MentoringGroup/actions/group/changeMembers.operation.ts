import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';
import { EMPLOYMENT_OPTIONS, groupIdField, groupPath, text, userIdProperty } from '../common.descriptions';

const show = (p: INodeProperties) => field('group', ['changeMembers'], p);

export const description: INodeProperties[] = [
  groupIdField(['changeMembers']),
  show({
    displayName: 'Add (加入)',
    name: 'add',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    placeholder: 'Add Member',
    default: {},
    options: [{ displayName: 'Member', name: 'member', values: [userIdProperty('User ID (教师)'), { displayName: 'Employment (专兼职)', name: 'employment', type: 'options', default: 'fullTime', options: EMPLOYMENT_OPTIONS }] }],
  }),
  show({ displayName: 'Remove (退出)', name: 'remove', type: 'string', default: '', placeholder: 'userId1, userId2', description: 'Comma-separated user IDs of members who leave the group' }),
  show({ displayName: 'New Leader (新组长)', name: 'leader', type: 'string', default: '', description: 'User ID of the member who becomes the leader; empty: the leader stays' }),
  show({ displayName: 'Reason (调整原因)', name: 'reason', type: 'string', default: '', required: true, description: 'Recorded in the group’s member history' }),
  show({
    displayName: 'Revision (版本)',
    name: 'revision',
    type: 'string',
    default: '',
    description: 'The group’s revision the change is based on (as in Group › Get); a group changed since is refused (REVISION_CONFLICT). Empty: the current revision.',
  }),
];

const list = (value: string): string[] => value.split(',').map((v) => v.trim()).filter(Boolean);

/** C1: members join or leave and the leader changes; three to five members with one leader hold afterwards, or nothing changes. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const add = ((this.getNodeParameter('add', itemIndex, {}) as { member?: IDataObject[] }).member ?? []).map((m) => ({ user: String(m.user ?? '').trim(), employment: m.employment }));
  const remove = list(text(this, 'remove', itemIndex));
  const leader = text(this, 'leader', itemIndex);
  const body: IDataObject = { reason: text(this, 'reason', itemIndex) };
  if (add.length) body.add = add;
  if (remove.length) body.remove = remove;
  if (leader) body.leader = leader;
  let revision = text(this, 'revision', itemIndex);
  if (!revision) revision = String(((await apiRequest.call(this, 'GET', groupPath(this, itemIndex))) as IDataObject).revision);
  return (await apiRequest.call(this, 'POST', groupPath(this, itemIndex, '/members'), { body, ifMatch: revision })) as IDataObject;
}
