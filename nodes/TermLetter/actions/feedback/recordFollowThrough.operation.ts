import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';
import { ticketIdField, ticketPath } from '../common.descriptions';

export const description: INodeProperties[] = [
  ticketIdField(['recordFollowThrough']),
  field('feedback', ['recordFollowThrough'], { displayName: 'What Was Done (落实情况)', name: 'text', type: 'string', typeOptions: { rows: 4 }, default: '', required: true, description: 'What was done about the feedback; recorded with who and when' }),
];

/** What was done about a feedback (有落实), by the key’s owner, now. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const text = String(this.getNodeParameter('text', itemIndex));
  return (await apiRequest.call(this, 'POST', ticketPath(this, itemIndex, '/follow-through'), { body: { text }, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'feedback-follow-through') })) as IDataObject;
}
