import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as close from './close.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getCollegesWithoutPlan from './getCollegesWithoutPlan.operation';
import * as getMany from './getMany.operation';
import * as getMaterials from './getMaterials.operation';
import * as getOverview from './getOverview.operation';
import * as getStatistics from './getStatistics.operation';
import * as open from './open.operation';

export { close, create, get, getCollegesWithoutPlan, getMany, getMaterials, getOverview, getStatistics, open };

export const description: INodeProperties[] = [
  operationOptions('campaign', [
    { name: 'Close', value: 'close', action: 'Close a campaign', description: 'End an open campaign (结束家访活动)' },
    { name: 'Create', value: 'create', action: 'Create a campaign', description: 'Create a draft home-visit campaign for a break (创建家访活动)' },
    { name: 'Get', value: 'get', action: 'Get a campaign' },
    { name: 'Get Colleges Without Plan', value: 'getCollegesWithoutPlan', action: 'Get colleges without a plan', description: 'Colleges lacking a submitted or an approved plan (未报/未批学院)' },
    { name: 'Get Coverage Overview', value: 'getOverview', action: 'Get the coverage overview of a campaign', description: 'Each college: plan state, planned vs required visits, leader visits, deadline (学院家访覆盖情况)' },
    { name: 'Get Many', value: 'getMany', action: 'Get many campaigns' },
    { name: 'Get Materials Package', value: 'getMaterials', action: 'Get the materials package of a college', description: 'The college’s reports, photos, media and plan as one ZIP file (学院家访材料包)' },
    { name: 'Get Statistics', value: 'getStatistics', action: 'Get the visit statistics of a campaign', description: 'A college’s statistics table or the school roll-up, as figures or XLSX (家访统计表)' },
    { name: 'Open', value: 'open', action: 'Open a campaign', description: 'Let the colleges file their plans (发布家访活动)' },
  ], 'get'),
  ...close.description,
  ...create.description,
  ...get.description,
  ...getCollegesWithoutPlan.description,
  ...getMany.description,
  ...getMaterials.description,
  ...getOverview.description,
  ...getStatistics.description,
  ...open.description,
];
