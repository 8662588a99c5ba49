import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { campaignIdField, campaignPath, sendChannelField } from '../common.descriptions';

export const description: INodeProperties[] = [campaignIdField(['getOutbox']), sendChannelField(['getOutbox'])];

/**
 * The next batch (up to 100) of letters to send on a channel: one item per family with its numbers (or
 * addresses), link and SMS text. Each batch is handed out once; one whose outcomes are not all recorded
 * comes back after 10 minutes. No items: nothing left to send now (or the letters are still being made).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const campaign = String(this.getNodeParameter('campaignId', itemIndex)).trim();
  const channel = this.getNodeParameter('channel', itemIndex) as string;
  const batch = (await apiRequest.call(this, 'POST', campaignPath(this, itemIndex, '/outbox'), { body: { channel } })) as { items: IDataObject[] };
  return batch.items.map((item) => ({ campaign, ...item }));
}
