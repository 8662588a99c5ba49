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

