import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getMissing from './getMissing.operation';
import * as getRevisitCandidates from './getRevisitCandidates.operation';

export { create, get, getMany, getMissing, getRevisitCandidates };

export const description: INodeProperties[] = [
  operationOptions('report', [
    { name: 'Create', value: 'create', action: 'Start the report of an approved visit', description: 'Start the report of a planned visit, prefilled from the approved plan (开始填写家访报告)' },
    { name: 'Get', value: 'get', action: 'Get a visit report' },
    { name: 'Get Many', value: 'getMany', action: 'Get many reports of a campaign' },
    { name: 'Get Missing', value: 'getMissing', action: 'Get visits missing their report', description: 'Approved visits without a submitted report a few days after their planned day (未交家访报告)' },
    { name: 'Get Revisit Candidates', value: 'getRevisitCandidates', action: 'Get students to visit again', description: 'Students of the college visited in earlier campaigns, with their last visit (回访对象)' },
  ], 'getMissing'),
  ...create.description,
  ...get.description,
  ...getMany.description,
  ...getMissing.description,
  ...getRevisitCandidates.description,
];
