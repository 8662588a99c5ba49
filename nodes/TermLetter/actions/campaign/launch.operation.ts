import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { campaignIdField, campaignPath } from '../common.descriptions';

export const description: INodeProperties[] = [campaignIdField(['launch'])];

/** draft → sending (or scheduled when sendAt is later): one letter per family, made in the background; launching again changes nothing. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  return (await apiRequest.call(this, 'POST', campaignPath(this, itemIndex, '/launch'))) as IDataObject;
}
