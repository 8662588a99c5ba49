import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { onBehalfOfBody, onBehalfOfField } from '../../../shared/on-behalf-of';
import { apiRequest } from '../../../shared/transport';
import { groupIdField, groupPath, text } from '../common.descriptions';

export const description: INodeProperties[] = [
  groupIdField(['reject']),
  field('group', ['reject'], { displayName: 'Reason (未批准原因)', name: 'reason', type: 'string', typeOptions: { rows: 3 }, default: '', required: true, description: 'Why the group is not approved; the service refuses a rejection without one' }),
  onBehalfOfField('group', ['reject'], 'mentoring:relay'),
];

/** C1: a proposed group is not approved; the student can be proposed again. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const reason = text(this, 'reason', itemIndex);
  // A blank reason is sent as none: the service answers with its own message naming the field.
  return (await apiRequest.call(this, 'POST', groupPath(this, itemIndex, '/reject'), { body: { ...(reason ? { reason } : {}), ...onBehalfOfBody(this, itemIndex) } })) as IDataObject;
}
