import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * What every resource/operation node of the package shares: one main input and output, the credential.
 * (n8n's lint wants icon, subtitle and usableAsTool written out in each node's own description.)
 */
export const ACTION_NODE_BASE = {
  group: ['transform'],
  version: 1,
  inputs: [NodeConnectionTypes.Main],
  outputs: [NodeConnectionTypes.Main],
  credentials: [{ name: 'homeSchoolBridgeApi', required: true }],
} satisfies Partial<INodeTypeDescription>;

export function resourceProperty(options: Array<{ name: string; value: string }>, fallback: string): INodeProperties {
  return { displayName: 'Resource', name: 'resource', type: 'options', noDataExpression: true, options, default: fallback };
}
