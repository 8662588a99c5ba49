import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { campaignIdField, collegeField, planPath } from '../common.descriptions';

export const description: INodeProperties[] = [campaignIdField('plan', ['get']), collegeField(['get'])];

/** The college's plan: entries, leader visits, coverage per grade and major, approvals, last return, approved version. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  return (await apiRequest.call(this, 'GET', planPath(this, itemIndex))) as IDataObject;
}
