import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';
import { ticketIdField, ticketPath } from '../common.descriptions';

export const description: INodeProperties[] = [
  ticketIdField(['respond']),
  field('feedback', ['respond'], { displayName: 'Response (回应)', name: 'text', type: 'string', typeOptions: { rows: 4 }, default: '', required: true, description: 'The answer the parent reads on the letter’s page' }),
];

/** The owner’s answer to a feedback (有回应): the ticket becomes responded and the parent sees it. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const text = String(this.getNodeParameter('text', itemIndex));
  return (await apiRequest.call(this, 'POST', ticketPath(this, itemIndex, '/response'), { body: { text }, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'feedback-response') })) as IDataObject;
}
