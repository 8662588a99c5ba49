import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';
import { campaignIdField, campaignPath } from '../common.descriptions';

/** Rounds of 100 one run takes at most with Take All Due (10,000 families). */
const MAX_ROUNDS = 100;

export const description: INodeProperties[] = [
  campaignIdField(['getReminders']),
  field('campaign', ['getReminders'], {
    displayName: 'Take All Due (全部取出)',
    name: 'takeAll',
    type: 'boolean',
    default: false,
    description: 'Whether to take every family due a reminder now (100 a request) instead of the next 100. Families taken are reminded once; one whose message does not go out is on the counselor’s call list.',
  }),
];

/**
 * Families due a reminder (their letter went out over `reminderAfterDays` ago and is not opened), each
 * handed out once: one item per family with its numbers, link and reminder text.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const campaign = String(this.getNodeParameter('campaignId', itemIndex)).trim();
  const takeAll = this.getNodeParameter('takeAll', itemIndex, false) as boolean;
  const families: IDataObject[] = [];
  for (let round = 0; round < (takeAll ? MAX_ROUNDS : 1); round++) {
    const due = (await apiRequest.call(this, 'POST', campaignPath(this, itemIndex, '/reminders'))) as { items: IDataObject[] };
    families.push(...due.items.map((item) => ({ campaign, ...item })));
    if (due.items.length < 100) break;
  }
  return families;
}
