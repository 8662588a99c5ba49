import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { runOperations } from '../shared/run-operations';
import * as staleArchive from './actions/staleArchive';
import * as student from './actions/student';

export class StudentArchive implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Student Archive (学生档案)',
    name: 'studentArchive',
    icon: { light: 'file:homeSchoolBridge.svg', dark: 'file:homeSchoolBridge.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    description: 'Read and update student archives in Home–School Bridge (家校心桥), and find archives due for the yearly update',
    defaults: { name: 'Student Archive' },
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
          { name: 'Student (学生档案)', value: 'student' },
          { name: 'Stale Archive (待更新档案)', value: 'staleArchive' },
        ],
        default: 'student',
      },
      ...student.description,
      ...staleArchive.description,
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return runOperations.call(this, {
      student: { confirm: student.confirm.execute, create: student.create.execute, get: student.get.execute, search: student.search.execute, update: student.update.execute },
      staleArchive: { byCounselor: staleArchive.byCounselor.execute, getMany: staleArchive.getMany.execute },
    });
  }
}
