import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { ACTION_NODE_BASE, resourceProperty } from '../shared/node-description';
import { runOperations } from '../shared/run-operations';
import * as campaign from './actions/campaign';
import * as feedback from './actions/feedback';

export class TermLetter implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Term Letter (致家长的一封信)',
    name: 'termLetter',
    icon: { light: 'file:homeSchoolBridge.svg', dark: 'file:homeSchoolBridge.dark.svg' },
    ...ACTION_NODE_BASE,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    usableAsTool: true,
    description: 'The term-end letter to parents: campaigns, sending and reminders, the report, and the parents’ feedback with its response and follow-through, in Home–School Bridge (家校心桥)',
    defaults: { name: 'Term Letter' },
    properties: [
      resourceProperty(
        [
          { name: 'Campaign (信件活动)', value: 'campaign' },
          { name: 'Feedback (家长反馈)', value: 'feedback' },
        ],
        'campaign',
      ),
      ...campaign.description,
      ...feedback.description,
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    // Recording outcomes takes every input item at once (one request per 100 letters), not item by item.
    if (this.getInputData().length > 0 && this.getNodeParameter('resource', 0) === 'campaign' && this.getNodeParameter('operation', 0) === 'recordDeliveries') {
      return [await campaign.recordDeliveries.executeAll.call(this)];
    }
    return runOperations.call(this, {
      campaign: {
        close: campaign.close.execute,
        create: campaign.create.execute,
        get: campaign.get.execute,
        getMany: campaign.getMany.execute,
        getOutbox: campaign.getOutbox.execute,
        getProgress: campaign.getProgress.execute,
        getReminders: campaign.getReminders.execute,
        getReport: campaign.getReport.execute,
        launch: campaign.launch.execute,
      },
      feedback: { close: feedback.close.execute, get: feedback.get.execute, getMany: feedback.getMany.execute, reassign: feedback.reassign.execute, recordFollowThrough: feedback.recordFollowThrough.execute, respond: feedback.respond.execute },
    });
  }
}
