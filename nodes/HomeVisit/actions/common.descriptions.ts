import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../shared/fields';

/** The campaign an operation works on (every resource names it). */
export function campaignIdField(resource: 'campaign' | 'plan' | 'report', operations: string[]): INodeProperties {
  return field(resource, operations, {
    displayName: 'Campaign ID (家访活动)',
    name: 'campaignId',
    type: 'string',
    default: '',
    required: true,
    description: 'The ID of the home-visit campaign (as answered by Campaign › Create or Get Many)',
  });
}

/** The college whose plan (or reports) an operation works on. */
export function collegeField(operations: string[], resource: 'campaign' | 'plan' | 'report' = 'plan'): INodeProperties {
  return field(resource, operations, {
    displayName: 'College (学院)',
    name: 'college',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'JD',
    description: 'College code or ID; a college leader’s key reaches only its own college',
  });
}

export function campaignPath(context: IExecuteFunctions, itemIndex: number, tail = ''): string {
  return `/api/visit-campaigns/${encodeURIComponent(context.getNodeParameter('campaignId', itemIndex) as string)}${tail}`;
}

/** `/api/visit-campaigns/:id/plans/:college` + tail, from the item's parameters. */
export function planPath(context: IExecuteFunctions, itemIndex: number, tail = ''): string {
  return campaignPath(context, itemIndex, `/plans/${encodeURIComponent(context.getNodeParameter('college', itemIndex) as string)}${tail}`);
}

/**
 * The approver who decided (their user id or username from the event's `approvers`), when the key records
 * a decision made elsewhere — an approval message answered in n8n. Empty: the key's owner decides.
 */
export function onBehalfOfField(operations: string[]): INodeProperties {
  return field('plan', operations, {
    displayName: 'On Behalf Of (审批人)',
    name: 'onBehalfOf',
    type: 'string',
    default: '',
    placeholder: 'e.g. zhangsan',
    description:
      'The approver who made this decision (user ID or username), e.g. one who answered an approval message sent by n8n. The service records it as theirs and checks their role and college; the key needs the visitPlans:relay scope. Leave empty to decide as the key’s owner.',
  });
}

/** The request body part naming who decided, if anyone. */
export function onBehalfOfBody(context: IExecuteFunctions, itemIndex: number): { onBehalfOf?: string } {
  const who = String(context.getNodeParameter('onBehalfOf', itemIndex, '') ?? '').trim();
  return who ? { onBehalfOf: who } : {};
}
