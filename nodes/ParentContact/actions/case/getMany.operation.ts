import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, limitFor, returnAllAndLimit } from '../../../shared/fields';
import { apiRequestAllPages } from '../../../shared/transport';

export const description: INodeProperties[] = [
  field('case', ['getMany'], {
    displayName: 'Only Overdue',
    name: 'overdue',
    type: 'boolean',
    default: false,
    description: 'Whether to return only open cases past their deadline',
  }),
  ...returnAllAndLimit('case', 'getMany'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const overdue = this.getNodeParameter('overdue', itemIndex) as boolean;
  return apiRequestAllPages.call(this, '/api/cases', overdue ? { overdue: 'true' } : {}, limitFor(this, itemIndex));
}
