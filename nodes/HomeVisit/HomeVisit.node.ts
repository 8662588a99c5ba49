import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { ACTION_NODE_BASE, resourceProperty } from '../shared/node-description';
import { runOperations } from '../shared/run-operations';
import * as campaign from './actions/campaign';
import * as plan from './actions/plan';
import * as report from './actions/report';

export class HomeVisit implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Home Visit (家访)',
    name: 'homeVisit',
    icon: { light: 'file:homeSchoolBridge.svg', dark: 'file:homeSchoolBridge.dark.svg' },
    ...ACTION_NODE_BASE,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    usableAsTool: true,
    description: 'Home-visit campaigns, the colleges’ visit plans with their approval, and the visit reports in Home–School Bridge (家校心桥)',
    defaults: { name: 'Home Visit' },
    properties: [
      resourceProperty(
        [
          { name: 'Campaign (家访活动)', value: 'campaign' },
          { name: 'Plan (家访计划)', value: 'plan' },
          { name: 'Report (家访报告)', value: 'report' },
        ],
        'plan',
      ),
      ...campaign.description,
      ...plan.description,
      ...report.description,
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return runOperations.call(this, {
      campaign: {
        close: campaign.close.execute,
        create: campaign.create.execute,
        get: campaign.get.execute,
        getCollegesWithoutPlan: campaign.getCollegesWithoutPlan.execute,
        getMany: campaign.getMany.execute,
        getMaterials: campaign.getMaterials.execute,
        getOverview: campaign.getOverview.execute,
        getStatistics: campaign.getStatistics.execute,
        open: campaign.open.execute,
      },
      plan: { approve: plan.approve.execute, get: plan.get.execute, getMany: plan.getMany.execute, return: plan.returnPlan.execute, submit: plan.submit.execute },
      report: { create: report.create.execute, get: report.get.execute, getMany: report.getMany.execute, getMissing: report.getMissing.execute, getRevisitCandidates: report.getRevisitCandidates.execute },
    });
  }
}
