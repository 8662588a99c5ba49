import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, limitFor, returnAllAndLimit } from '../../../shared/fields';
import { apiRequestAllPages } from '../../../shared/transport';
import { campaignIdField } from '../common.descriptions';

export const description: INodeProperties[] = [
  campaignIdField('plan', ['getMany']),
  field('plan', ['getMany'], {
    displayName: 'State (状态)',
    name: 'state',
    type: 'options',
    default: '',
    options: [
      { name: 'Any', value: '' },
      { name: 'Approved (已批准)', value: 'approved' },
      { name: 'Draft (草稿)', value: 'draft' },
      { name: 'Returned (已退回)', value: 'returned' },
      { name: 'Submitted (待审批)', value: 'submitted' },
    ],
  }),
  ...returnAllAndLimit('plan', 'getMany'),
];

/** The plans of a campaign the key may read (one summary item per college that has filed). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const qs: IDataObject = { campaign: this.getNodeParameter('campaignId', itemIndex) as string };
  const state = this.getNodeParameter('state', itemIndex) as string;
  if (state) qs.state = state;
  return apiRequestAllPages.call(this, '/api/visit-plans', qs, limitFor(this, itemIndex));
}
