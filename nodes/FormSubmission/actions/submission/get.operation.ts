import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { formPathField, submissionIdField } from '../common.descriptions';

export const description: INodeProperties[] = [formPathField('get'), submissionIdField('get')];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const formPath = this.getNodeParameter('formPath', itemIndex) as string;
  const id = this.getNodeParameter('submissionId', itemIndex) as string;
  return (await apiRequest.call(this, 'GET', `/form/${encodeURIComponent(formPath)}/submission/${encodeURIComponent(id)}`)) as IDataObject;
}
