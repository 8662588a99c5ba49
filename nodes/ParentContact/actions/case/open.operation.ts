import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, studentField } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';

const show = (p: INodeProperties) => field('case', ['open'], p);

export const description: INodeProperties[] = [
  studentField('case', ['open']),
  show({
    displayName: 'Category (类别)',
    name: 'category',
    type: 'options',
    default: 'academic',
    options: [
      { name: 'Credits, Absence or Failed Courses (学分/旷课/挂科)', value: 'academic' },
      { name: 'Cannot Follow Teaching (无法正常参加教学)', value: 'cannotFollow' },
      { name: 'Emergency or Serious Illness (突发事件/重大疾病)', value: 'emergency' },
      { name: 'Enrollment Status Change (学籍异动)', value: 'statusChange' },
      { name: 'Internet Addiction or Extreme Thinking (网络成瘾/思想偏激)', value: 'internetOrExtreme' },
      { name: 'Other (其他)', value: 'other' },
    ],
  }),
  show({ displayName: 'Description (情况说明)', name: 'description', type: 'string', typeOptions: { rows: 3 }, default: '', required: true }),
  show({ displayName: 'Department (提出部门)', name: 'department', type: 'string', default: '', description: 'For requests from outside the student’s college (B7)' }),
];

/** B4: opens a key-communication case, or joins the open one for the same student and category. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const body: IDataObject = {};
  for (const name of ['student', 'category', 'description', 'department']) body[name] = this.getNodeParameter(name, itemIndex);
  return (await apiRequest.call(this, 'POST', '/api/cases', { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'case-open') })) as IDataObject;
}
