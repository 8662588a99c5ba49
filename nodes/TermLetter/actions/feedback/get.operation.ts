import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { ticketIdField, ticketPath } from '../common.descriptions';

export const description: INodeProperties[] = [ticketIdField(['get'])];

/** One feedback with its responses, follow-through and reopenings. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  return (await apiRequest.call(this, 'GET', ticketPath(this, itemIndex))) as IDataObject;
}
