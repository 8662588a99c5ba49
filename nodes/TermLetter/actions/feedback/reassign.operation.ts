import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';
import { ticketIdField, ticketPath } from '../common.descriptions';

export const description: INodeProperties[] = [
  ticketIdField(['reassign']),
  field('feedback', ['reassign'], {
    displayName: 'New Owner (新负责人)',
    name: 'owner',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'e.g. counselor1',
    description: 'Username or user ID of an active staff member who may answer for the feedback’s college',
  }),
];

/** Hands a feedback to another staff member (letters:manage, or a leader of its college); a closed one stays as it is (409). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const owner = String(this.getNodeParameter('owner', itemIndex) ?? '').trim();
  return (await apiRequest.call(this, 'POST', ticketPath(this, itemIndex, '/reassign'), { body: { owner } })) as IDataObject;
}
