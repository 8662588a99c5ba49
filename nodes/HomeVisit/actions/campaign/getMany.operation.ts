import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { campaignsByState, campaignsByStateFields } from '../../../shared/campaigns-by-state';

export const description: INodeProperties[] = campaignsByStateFields(
  [
    { name: 'Closed (已结束)', value: 'closed' },
    { name: 'Draft (草稿)', value: 'draft' },
    { name: 'Open (进行中)', value: 'open' },
  ],
  'Drafts are seen only by student affairs',
);

/** Campaigns, newest deadline first. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  return campaignsByState.call(this, itemIndex, '/api/visit-campaigns');
}
