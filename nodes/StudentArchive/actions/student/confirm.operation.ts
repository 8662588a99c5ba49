import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { studentField } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';

export const description: INodeProperties[] = [studentField('student', ['confirm'])];

/** A3: marks the archive as checked and current for this academic year. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const student = this.getNodeParameter('student', itemIndex) as string;
  return (await apiRequest.call(this, 'POST', `/api/students/${encodeURIComponent(student)}/confirm`)) as IDataObject;
}
