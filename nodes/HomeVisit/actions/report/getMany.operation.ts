import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, limitFor, returnAllAndLimit } from '../../../shared/fields';
import { apiRequestAllPages } from '../../../shared/transport';
import { campaignIdField } from '../common.descriptions';

export const description: INodeProperties[] = [
  campaignIdField('report', ['getMany']),
  field('report', ['getMany'], { displayName: 'College (学院)', name: 'college', type: 'string', default: '', placeholder: 'JD', description: 'College code or ID; empty: every college the key may read' }),
  field('report', ['getMany'], {
    displayName: 'State (状态)',
    name: 'state',
    type: 'options',
    default: '',
    options: [
      { name: 'Any', value: '' },
      { name: 'Draft (草稿)', value: 'draft' },
      { name: 'Returned (已退回)', value: 'returned' },
      { name: 'Submitted (已提交)', value: 'submitted' },
    ],
  }),
  ...returnAllAndLimit('report', 'getMany'),
];

/** The reports of a campaign the key may read, without their content. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const qs: IDataObject = { campaign: this.getNodeParameter('campaignId', itemIndex) as string };
  for (const name of ['college', 'state']) {
    const value = this.getNodeParameter(name, itemIndex) as string;
    if (value) qs[name] = value;
  }
  return apiRequestAllPages.call(this, '/api/visit-reports', qs, limitFor(this, itemIndex));
}
