import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, limitFor, returnAllAndLimit } from '../../../shared/fields';
import { apiRequestPagesByKey } from '../../../shared/transport';

const PAGE_SIZE = 100;

export const description: INodeProperties[] = [
  field('feedback', ['getMany'], {
    displayName: 'Filters',
    name: 'filters',
    type: 'collection',
    placeholder: 'Add Filter',
    default: {},
    options: [
      { displayName: 'Campaign ID (信件活动)', name: 'campaign', type: 'string', default: '' },
      { displayName: 'College (学院)', name: 'college', type: 'string', default: '', placeholder: 'JD', description: 'College code or ID' },
      { displayName: 'Overdue Only (已逾期)', name: 'overdue', type: 'boolean', default: false, description: 'Whether to return only feedback past its due time without a response' },
      { displayName: 'Owner (负责人)', name: 'owner', type: 'string', default: '', placeholder: 'me', description: '"me" for the key’s owner, or a user ID' },
      {
        displayName: 'State (状态)',
        name: 'state',
        type: 'options',
        default: 'open',
        options: [
          { name: 'Closed (已办结)', value: 'closed' },
          { name: 'Open (待回应)', value: 'open' },
          { name: 'Responded (已回应)', value: 'responded' },
        ],
      },
    ],
  }),
  ...returnAllAndLimit('feedback', 'getMany'),
];

/** Feedback tickets in the key’s scope (its owner’s own, a college’s, or all), page by page. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
  const max = limitFor(this, itemIndex);
  const qs: IDataObject = {};
  for (const key of ['campaign', 'college', 'owner', 'state'] as const) if (filters[key]) qs[key] = String(filters[key]).trim();
  if (filters.overdue) qs.overdue = 'true';
  return apiRequestPagesByKey.call(this, '/api/feedback-tickets', qs, max, PAGE_SIZE);
}
