import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { campaignIdField, campaignPath } from '../common.descriptions';

export const description: INodeProperties[] = [campaignIdField(['getProgress'])];

/** Letters created, pending, sent, delivered, failed, printed; families who opened and answered. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const progress = (await apiRequest.call(this, 'GET', campaignPath(this, itemIndex, '/progress'))) as IDataObject;
  return { campaign: String(this.getNodeParameter('campaignId', itemIndex)).trim(), ...progress };
}
