import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { campaignIdField, collegeField, planPath } from '../common.descriptions';

export const description: INodeProperties[] = [campaignIdField('plan', ['submit']), collegeField(['submit'])];

/** draft/returned → submitted; the service checks deadline, coverage and implementation plan (emits visitPlan.submitted). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  return (await apiRequest.call(this, 'POST', planPath(this, itemIndex, '/submit'))) as IDataObject;
}
