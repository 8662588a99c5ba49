import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { ticketIdField, ticketPath } from '../common.descriptions';

export const description: INodeProperties[] = [ticketIdField(['close'])];

/** Closes a feedback that has a response and a follow-through after its last reopening (else 409 TICKET_INCOMPLETE). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  return (await apiRequest.call(this, 'POST', ticketPath(this, itemIndex, '/close'))) as IDataObject;
}
