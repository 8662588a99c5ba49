import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { jsonObjectField, studentField } from '../../../shared/fields';
import { parseData } from '../../../shared/parse-data';
import { apiRequest } from '../../../shared/transport';

export const description: INodeProperties[] = [
  studentField('student', ['update']),
  jsonObjectField('student', ['update'], 'archive', 'Changes (修改内容)', 'Only the fields to change; every change is kept in the archive history'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const student = this.getNodeParameter('student', itemIndex) as string;
  return (await apiRequest.call(this, 'PATCH', `/api/students/${encodeURIComponent(student)}`, { body: parseData(this, itemIndex, 'archive') })) as IDataObject;
}
