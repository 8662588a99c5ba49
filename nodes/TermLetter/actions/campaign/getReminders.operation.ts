import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { campaignIdField, campaignPath } from '../common.descriptions';

export const description: INodeProperties[] = [campaignIdField(['getReminders'])];

/**
 * Up to 100 families due a reminder (their letter went out over `reminderAfterDays` ago and is not
 * opened), each handed out once: one item per family with its numbers, link and reminder text.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const campaign = String(this.getNodeParameter('campaignId', itemIndex)).trim();
  const due = (await apiRequest.call(this, 'POST', campaignPath(this, itemIndex, '/reminders'))) as { items: IDataObject[] };
  return due.items.map((item) => ({ campaign, ...item }));
}
