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
      { name: 'Open (进行中)', value: 'open' },
    ],
    description: 'Drafts are seen only by student affairs',
  }),
  ...returnAllAndLimit('campaign', 'getMany'),
];

/** Campaigns, newest deadline first. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const state = this.getNodeParameter('state', itemIndex) as string;
  return apiRequestAllPages.call(this, '/api/visit-campaigns', state ? { state } : {}, limitFor(this, itemIndex), PAGE_SIZE);
}
