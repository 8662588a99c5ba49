import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { ACTION_NODE_BASE, resourceProperty } from '../shared/node-description';
import { readOnly, runOperations } from '../shared/run-operations';
import * as staleArchive from './actions/staleArchive';
import * as student from './actions/student';

export class StudentArchive implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Student Archive (学生档案)',
    name: 'studentArchive',
    icon: { light: 'file:homeSchoolBridge.svg', dark: 'file:homeSchoolBridge.dark.svg' },
    ...ACTION_NODE_BASE,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    usableAsTool: true,
    description: 'Read and update student archives in Home–School Bridge (家校心桥), and find archives due for the yearly update',
    defaults: { name: 'Student Archive' },
    properties: [
      resourceProperty(
        [
          { name: 'Student (学生档案)', value: 'student' },
          { name: 'Stale Archive (待更新档案)', value: 'staleArchive' },
        ],
        'student',
      ),
      ...student.description,
      ...staleArchive.description,
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return runOperations.call(this, {
      student: { confirm: student.confirm.execute, create: student.create.execute, get: readOnly(student.get.execute), search: readOnly(student.search.execute), update: student.update.execute },
      staleArchive: { byCounselor: readOnly(staleArchive.byCounselor.execute), getMany: readOnly(staleArchive.getMany.execute) },
    });
  }
}
