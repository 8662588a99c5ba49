import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';

const show = (p: INodeProperties) => field('case', ['close'], p);

export const description: INodeProperties[] = [
  show({ displayName: 'Case ID', name: 'caseId', type: 'string', default: '', required: true }),
  show({ displayName: 'Contact ID (沟通记录)', name: 'contact', type: 'string', default: '', required: true, description: 'The logged contact with the family that closes the case' }),
  show({ displayName: 'Resolution (办结说明)', name: 'resolution', type: 'string', typeOptions: { rows: 3 }, default: '', required: true }),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const caseId = this.getNodeParameter('caseId', itemIndex) as string;
  const body = { contact: this.getNodeParameter('contact', itemIndex), resolution: this.getNodeParameter('resolution', itemIndex) } as IDataObject;
  return (await apiRequest.call(this, 'POST', `/api/cases/${encodeURIComponent(caseId)}/close`, { body })) as IDataObject;
}
