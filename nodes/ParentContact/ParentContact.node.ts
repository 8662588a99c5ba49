import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { ACTION_NODE_BASE, resourceProperty } from '../shared/node-description';
import { runOperations } from '../shared/run-operations';
import * as award from './actions/award';
import * as keyCase from './actions/case';
import * as contact from './actions/contact';

export class ParentContact implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Parent Contact (家校沟通)',
    name: 'parentContact',
    icon: { light: 'file:homeSchoolBridge.svg', dark: 'file:homeSchoolBridge.dark.svg' },
    ...ACTION_NODE_BASE,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    usableAsTool: true,
    description: 'Contacts with families, key-communication cases, awards and good-news letters in Home–School Bridge (家校心桥)',
    defaults: { name: 'Parent Contact' },
    properties: [
      resourceProperty(
        [
          { name: 'Award (奖惩与喜报)', value: 'award' },
          { name: 'Case (重点沟通)', value: 'case' },
          { name: 'Contact (沟通记录)', value: 'contact' },
        ],
        'contact',
      ),
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
