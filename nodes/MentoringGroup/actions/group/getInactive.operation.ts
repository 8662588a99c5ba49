import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';

export const description: INodeProperties[] = [];

/** C2: the active groups with no activity for the configured weeks — one item each, with the leader’s name and e-mail and the weeks silent. */
export async function execute(this: IExecuteFunctions): Promise<IDataObject[]> {
  return ((await apiRequest.call(this, 'GET', '/api/mentoring-groups/inactive')) as { items: IDataObject[] }).items;
}
