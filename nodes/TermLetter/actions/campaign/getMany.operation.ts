import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { campaignsByState, campaignsByStateFields } from '../../../shared/campaigns-by-state';

export const description: INodeProperties[] = campaignsByStateFields(
  [
    { name: 'Closed (已结束)', value: 'closed' },
    { name: 'Draft (草稿)', value: 'draft' },
    { name: 'Open for Feedback (反馈中)', value: 'open' },
    { name: 'Scheduled (已排期)', value: 'scheduled' },
    { name: 'Sending (发送中)', value: 'sending' },
  ],
  'Drafts are seen only by those who write letters',
);

/** Term-letter campaigns, newest first. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  return campaignsByState.call(this, itemIndex, '/api/letter-campaigns');
}
