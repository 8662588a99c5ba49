import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { academicYearField } from './getMany.operation';

export const description: INodeProperties[] = [academicYearField(['byCounselor'])];

/** One item per counselor with how many archives are still to confirm, and the academic year's first and last day (for weekly reminders). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const academicYear = this.getNodeParameter('academicYear', itemIndex, '') as string;
  const result = (await apiRequest.call(this, 'GET', '/api/students/stale-by-counselor', { qs: academicYear ? { academicYear } : {} })) as {
    academicYear: string;
    startsOn: string;
    endsOn: string;
    counselors: IDataObject[];
  };
  const year = { academicYear: result.academicYear, academicYearStartsOn: result.startsOn, academicYearEndsOn: result.endsOn };
  return result.counselors.map((c) => ({ ...c, ...year }));
}
