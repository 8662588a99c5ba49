import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';

export const description: INodeProperties[] = [];

/** Escalates open cases past their deadline (each once); one item per escalated case, with the leaders to tell. */
export async function execute(this: IExecuteFunctions): Promise<IDataObject[]> {
  const result = (await apiRequest.call(this, 'POST', '/api/cases/escalations')) as { escalated: IDataObject[] };
  return result.escalated;
}
