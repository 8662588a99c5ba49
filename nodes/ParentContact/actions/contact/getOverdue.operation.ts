import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';

export const description: INodeProperties[] = [
  field('contact', ['getOverdue'], {
    displayName: 'Counselor ID (辅导员)',
    name: 'counselor',
    type: 'string',
    default: '',
    description: 'Only this counselor’s students; empty for everyone the credential may see',
  }),
];

/** B2: one item per counselor listing the students whose family contact is overdue (for a daily digest). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const counselor = this.getNodeParameter('counselor', itemIndex, '') as string;
  const result = (await apiRequest.call(this, 'GET', '/api/contacts/overdue', { qs: counselor ? { counselor } : {} })) as {
    asOf: string;
    counselors: Array<IDataObject & { students: IDataObject[] }>;
  };
  return result.counselors.map((c) => ({ ...c, asOf: result.asOf, count: c.students.length }));
}
