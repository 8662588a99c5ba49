import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, limitFor, returnAllAndLimit } from '../../../shared/fields';
import { apiRequestAllPages } from '../../../shared/transport';

export const description: INodeProperties[] = [
  field('student', ['search'], {
    displayName: 'Filters',
    name: 'filters',
    type: 'collection',
    placeholder: 'Add Filter',
    default: {},
    options: [
      { displayName: 'Name or Student Number (姓名/学号)', name: 'q', type: 'string', default: '' },
      { displayName: 'Grade (年级)', name: 'grade', type: 'string', default: '', placeholder: '2024' },
      { displayName: 'Major (专业)', name: 'major', type: 'string', default: '' },
      {
        displayName: 'Care Tier (关注等级)',
        name: 'careTier',
        type: 'options',
        default: 'special',
        options: [
          { name: 'Special (特殊)', value: 'special' },
          { name: 'Key (重点)', value: 'key' },
          { name: 'General (一般)', value: 'general' },
        ],
      },
      { displayName: 'Counselor ID (辅导员)', name: 'counselor', type: 'string', default: '' },
    ],
  }),
  ...returnAllAndLimit('student', 'search'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
  return apiRequestAllPages.call(this, '/api/students', filters, limitFor(this, itemIndex));
}
