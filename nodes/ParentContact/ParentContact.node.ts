import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { runOperations } from '../shared/run-operations';
import * as award from './actions/award';
import * as keyCase from './actions/case';
import * as contact from './actions/contact';

export class ParentContact implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Parent Contact (家校沟通)',
    name: 'parentContact',
    icon: { light: 'file:homeSchoolBridge.svg', dark: 'file:homeSchoolBridge.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    description: 'Contacts with families, key-communication cases, awards and good-news letters in Home–School Bridge (家校心桥)',
    defaults: { name: 'Parent Contact' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'homeSchoolBridgeApi', required: true }],
    properties: [
      {
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        options: [
          { name: 'Award (奖惩与喜报)', value: 'award' },
          { name: 'Case (重点沟通)', value: 'case' },
          { name: 'Contact (沟通记录)', value: 'contact' },
        ],
        default: 'contact',
      },
      ...contact.description,
      ...keyCase.description,
      ...award.description,
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return runOperations.call(this, {
      contact: { log: contact.log.execute, getOverdue: contact.getOverdue.execute },
      case: { open: keyCase.open.execute, close: keyCase.close.execute, getMany: keyCase.getMany.execute, escalate: keyCase.escalate.execute },
      award: { record: award.record.execute, getLetter: award.getLetter.execute, recordDelivery: award.recordDelivery.execute },
    });
  }
}
