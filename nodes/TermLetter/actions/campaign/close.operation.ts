import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { campaignIdField, campaignPath } from '../common.descriptions';

export const description: INodeProperties[] = [campaignIdField(['close'])];

/** open → closed: the letters' links open nothing from now on. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  return (await apiRequest.call(this, 'POST', campaignPath(this, itemIndex, '/close'))) as IDataObject;
}
