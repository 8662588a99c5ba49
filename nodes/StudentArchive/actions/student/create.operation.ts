import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { jsonObjectField } from '../../../shared/fields';
import { parseData } from '../../../shared/parse-data';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';

export const description: INodeProperties[] = [
  jsonObjectField('student', ['create'], 'archive', 'Archive (档案)', 'studentNo, name, gender, birthDate, college, major, grade, className, counselor, guardians…; the service validates every field'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const archive = parseData(this, itemIndex, 'archive');
  return (await apiRequest.call(this, 'POST', '/api/students', { body: archive, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'student-create') })) as IDataObject;
}
