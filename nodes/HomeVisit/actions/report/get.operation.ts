import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';

export const description: INodeProperties[] = [
  field('report', ['get'], {
    displayName: 'Report ID (家访报告)',
    name: 'reportId',
    type: 'string',
    default: '',
    required: true,
    placeholder: '<campaign>:<college>:<entry>',
    description: 'The ID of the visit report (e.g. `id` of a visitReport.submitted event)',
  }),
];

/** One report with its content; the sensitive parts only when the key’s owner may see them (read audited). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const id = this.getNodeParameter('reportId', itemIndex) as string;
  return (await apiRequest.call(this, 'GET', `/api/visit-reports/${encodeURIComponent(id)}`)) as IDataObject;
}
