import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from './fields';

/** The approver a decision is recorded for (a relayed decision: the key needs the `relayScope`). */
export function onBehalfOfField(resource: string, operations: string[], relayScope: string): INodeProperties {
  return field(resource, operations, {
    displayName: 'On Behalf Of (审批人)',
    name: 'onBehalfOf',
    type: 'string',
    default: '',
    placeholder: 'e.g. zhangsan',
    description: `The approver who made this decision (user ID or username), e.g. one who answered an approval message sent by n8n. The service records it as theirs and checks their role and college; the key needs the ${relayScope} scope. Leave empty to decide as the key’s owner.`,
  });
}

/** The request body part naming who decided, if anyone. */
export function onBehalfOfBody(context: IExecuteFunctions, itemIndex: number): { onBehalfOf?: string } {
  const who = String(context.getNodeParameter('onBehalfOf', itemIndex, '') ?? '').trim();
  return who ? { onBehalfOf: who } : {};
}
