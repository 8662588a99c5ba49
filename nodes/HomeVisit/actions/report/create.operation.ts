import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';
import { campaignIdField, collegeField } from '../common.descriptions';

export const description: INodeProperties[] = [
  campaignIdField('report', ['create']),
  collegeField(['create'], 'report'),
  field('report', ['create'], {
    displayName: 'Plan Entry ID (计划条目)',
    name: 'entryId',
    type: 'string',
    default: '',
    required: true,
    description: 'The entry of the college’s approved plan the report is about (e.g. `entryId` of Report › Get Missing)',
  }),
];

/** Starts the report of an approved visit, prefilled from the plan; answers the existing report when it was started already. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const body = {
    campaign: this.getNodeParameter('campaignId', itemIndex) as string,
    college: this.getNodeParameter('college', itemIndex) as string,
    entryId: this.getNodeParameter('entryId', itemIndex) as string,
  };
  return (await apiRequest.call(this, 'POST', '/api/visit-reports', { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'report.create') })) as IDataObject;
}
