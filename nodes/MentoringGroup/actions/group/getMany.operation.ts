import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, limitFor, returnAllAndLimit } from '../../../shared/fields';
import { apiRequestPagesByKey } from '../../../shared/transport';

/** The service answers at most 100 groups a page. */
const PAGE_SIZE = 100;

export const description: INodeProperties[] = [
  field('group', ['getMany'], {
    displayName: 'Filters',
    name: 'filters',
    type: 'collection',
    placeholder: 'Add Filter',
    default: {},
    options: [
      { displayName: 'College (学院)', name: 'college', type: 'string', default: '', placeholder: 'JD', description: 'College code or ID' },
      { displayName: 'Inactive Only (久未活动)', name: 'inactive', type: 'boolean', default: false, description: 'Whether to return only active groups with no activity for the configured number of weeks' },
      { displayName: 'Member (成员)', name: 'member', type: 'string', default: '', placeholder: 'me', description: '"me" for the key’s owner, or a user ID' },
      {
        displayName: 'State (状态)',
        name: 'state',
        type: 'options',
        default: 'active',
        options: [
          { name: 'Active (帮扶中)', value: 'active' },
          { name: 'Closed (已结束)', value: 'closed' },
          { name: 'Proposed (待审批)', value: 'proposed' },
          { name: 'Rejected (未批准)', value: 'rejected' },
        ],
      },
      { displayName: 'Student ID (学生)', name: 'student', type: 'string', default: '' },
    ],
  }),
  ...returnAllAndLimit('group', 'getMany'),
];

/** The groups in the key’s scope, newest first, page by page. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
  const max = limitFor(this, itemIndex);
  const qs: IDataObject = {};
  for (const key of ['college', 'member', 'state', 'student'] as const) if (filters[key]) qs[key] = String(filters[key]).trim();
  if (filters.inactive) qs.inactive = 'true';
  return apiRequestPagesByKey.call(this, '/api/mentoring-groups', qs, max, PAGE_SIZE);
}
