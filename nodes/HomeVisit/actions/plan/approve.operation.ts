import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { onBehalfOfBody, onBehalfOfField } from '../../../shared/on-behalf-of';
import { campaignIdField, collegeField, planPath } from '../common.descriptions';

export const description: INodeProperties[] = [campaignIdField('plan', ['approve']), collegeField(['approve']), onBehalfOfField('plan', ['approve'], 'visitPlans:relay')];

/**
 * Approves the step now due, as the key's owner (a college leader of the college, then student affairs,
 * per the campaign's approval steps), or as the approver named in On Behalf Of. The plan is approved once
 * the last step is.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  return (await apiRequest.call(this, 'POST', planPath(this, itemIndex, '/approve'), { body: onBehalfOfBody(this, itemIndex) })) as IDataObject;
}
