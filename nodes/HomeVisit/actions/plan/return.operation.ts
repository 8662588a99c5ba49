import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';
import { onBehalfOfBody, onBehalfOfField } from '../../../shared/on-behalf-of';
import { campaignIdField, collegeField, planPath } from '../common.descriptions';

export const description: INodeProperties[] = [
  campaignIdField('plan', ['return']),
  collegeField(['return']),
  field('plan', ['return'], {
    displayName: 'Reason (退回原因)',
    name: 'reason',
    type: 'string',
    typeOptions: { rows: 3 },
    default: '',
    required: true,
    description: 'Why the plan goes back to the college; the service refuses a return without one',
  }),
  onBehalfOfField('plan', ['return'], 'visitPlans:relay'),
];

/** Returns the submitted plan to the college at the step now due (emits visitPlan.returned). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const reason = String(this.getNodeParameter('reason', itemIndex) ?? '').trim();
  // A blank reason is sent as none: the service answers with its own message (退回家访计划须填写原因).
  return (await apiRequest.call(this, 'POST', planPath(this, itemIndex, '/return'), { body: { ...(reason ? { reason } : {}), ...onBehalfOfBody(this, itemIndex) } })) as IDataObject;
}
