import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as awardFund from './awardFund.operation';
import * as create from './create.operation';
import * as createFund from './createFund.operation';
import * as getReport from './getReport.operation';

export { awardFund, create, createFund, getReport };

export const description: INodeProperties[] = [
  operationOptions('funder', [
    { name: 'Award Fund', value: 'awardFund', action: 'Award a student from a fund', description: 'Never beyond the fund’s amount (发放资助)' },
    { name: 'Create', value: 'create', action: 'Create a funder', description: 'A company, social group, alumnus or individual (资助方)' },
    { name: 'Create Fund', value: 'createFund', action: 'Create a fund of a funder', description: 'A scholarship or grant for a year (资助项目)' },
    { name: 'Get Report', value: 'getReport', action: 'Get the report for a funder', description: 'Awards, funds and activities of a year, as figures or XLSX (资助报告)' },
  ], 'getReport'),
  ...awardFund.description,
  ...create.description,
  ...createFund.description,
  ...getReport.description,
];
