import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { dataField, formPathField, submissionIdField } from '../common.descriptions';
import { parseData } from '../../../shared/parse-data';

export const description: INodeProperties[] = [
  formPathField('update'),
  submissionIdField('update'),
  {
    displayName: 'Merge With Current Data',
    name: 'merge',
    type: 'boolean',
    default: true,
    description: 'Whether to keep fields that are not in Data (otherwise Data replaces the submission’s data)',
    displayOptions: { show: { resource: ['submission'], operation: ['update'] } },
  },
  dataField('update', 'Field values to set, keyed by component key'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const formPath = encodeURIComponent(this.getNodeParameter('formPath', itemIndex) as string);
  const id = encodeURIComponent(this.getNodeParameter('submissionId', itemIndex) as string);
  const merge = this.getNodeParameter('merge', itemIndex) as boolean;
  let data = parseData(this, itemIndex);
  if (merge) {
    const current = await apiRequest.call(this, 'GET', `/form/${formPath}/submission/${id}`) as { data: IDataObject };
    data = { ...current.data, ...data };
  }
  // PUT is idempotent by nature: repeating it leaves the same state.
  return (await apiRequest.call(this, 'PUT', `/form/${formPath}/submission/${id}`, { body: { data } })) as IDataObject;
}
