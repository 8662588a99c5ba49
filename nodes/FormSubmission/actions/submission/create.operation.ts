import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';
import { dataField, formPathField } from '../common.descriptions';
import { parseData } from '../../../shared/parse-data';

export const description: INodeProperties[] = [
  formPathField('create'),
  dataField('create', 'Field values keyed by the form’s component keys; the service validates them with the form definition'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const formPath = this.getNodeParameter('formPath', itemIndex) as string;
  const data = parseData(this, itemIndex);
  return (await apiRequest.call(this, 'POST', `/form/${encodeURIComponent(formPath)}/submission`, {
    body: { data },
    idempotencyKey: idempotencyKeyFor(this, itemIndex, `create-${formPath}`),
  })) as IDataObject;
}
