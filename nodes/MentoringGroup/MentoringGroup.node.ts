import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { ACTION_NODE_BASE, resourceProperty } from '../shared/node-description';
import { runOperations } from '../shared/run-operations';
import * as aidTeam from './actions/aidTeam';
import * as funder from './actions/funder';
import * as group from './actions/group';

export class MentoringGroup implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Mentoring Group (结对帮扶)',
    name: 'mentoringGroup',
    icon: { light: 'file:homeSchoolBridge.svg', dark: 'file:homeSchoolBridge.dark.svg' },
    ...ACTION_NODE_BASE,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    usableAsTool: true,
    description: 'Mentoring groups for special students with their approval, log and outcome, the aid service team, and funders with their funds and awards in Home–School Bridge (家校心桥)',
    defaults: { name: 'Mentoring Group' },
    properties: [
      resourceProperty(
        [
          { name: 'Aid Team (助学服务队)', value: 'aidTeam' },
          { name: 'Funder (资助方)', value: 'funder' },
          { name: 'Group (帮扶小组)', value: 'group' },
        ],
        'group',
      ),
      ...group.description,
      ...aidTeam.description,
      ...funder.description,
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return runOperations.call(this, {
      group: {
        approve: group.approve.execute,
        changeMembers: group.changeMembers.execute,
        close: group.close.execute,
        get: group.get.execute,
        getInactive: group.getInactive.execute,
        getMany: group.getMany.execute,
        getReport: group.getReport.execute,
        logActivity: group.logActivity.execute,
        propose: group.propose.execute,
        reject: group.reject.execute,
        suggestMentors: group.suggestMentors.execute,
      },
      aidTeam: { addMember: aidTeam.addMember.execute, getSummary: aidTeam.getSummary.execute, logActivity: aidTeam.logActivity.execute },
      funder: { awardFund: funder.awardFund.execute, create: funder.create.execute, createFund: funder.createFund.execute, getReport: funder.getReport.execute },
    });
  }
}
