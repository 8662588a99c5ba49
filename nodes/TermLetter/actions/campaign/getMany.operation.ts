import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, limitFor, returnAllAndLimit } from '../../../shared/fields';
import { apiRequestAllPages } from '../../../shared/transport';

/** The service answers at most 100 campaigns a page. */
const PAGE_SIZE = 100;

export const description: INodeProperties[] = [
  field('campaign', ['getMany'], {
    displayName: 'State (状态)',
    name: 'state',
    type: 'options',
    default: '',
    options: [
      { name: 'Any', value: '' },
      { name: 'Closed (已结束)', value: 'closed' },
      { name: 'Draft (草稿)', value: 'draft' },
      { name: 'Open for Feedback (反馈中)', value: 'open' },
      { name: 'Scheduled (已排期)', value: 'scheduled' },
      { name: 'Sending (发送中)', value: 'sending' },
    ],
    description: 'Drafts are seen only by those who write letters',
  }),
  ...returnAllAndLimit('campaign', 'getMany'),
];

/** Term-letter campaigns, newest first. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const state = this.getNodeParameter('state', itemIndex) as string;
  return apiRequestAllPages.call(this, '/api/letter-campaigns', state ? { state } : {}, limitFor(this, itemIndex), PAGE_SIZE);
}
