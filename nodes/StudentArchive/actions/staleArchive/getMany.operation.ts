import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, limitFor, returnAllAndLimit } from '../../../shared/fields';
import { apiRequestAllPages } from '../../../shared/transport';

export const academicYearField = (operations: string[]): INodeProperties =>
  field('staleArchive', operations, {
    displayName: 'Academic Year (学年)',
    name: 'academicYear',
    type: 'string',
    default: '',
    placeholder: 'YYYY-YYYY',
    description: 'Leave empty for the current academic year by the service’s calendar (留空即服务日历中的当前学年)',
  });

export const description: INodeProperties[] = [academicYearField(['getMany']), ...returnAllAndLimit('staleArchive', 'getMany')];

/** A3: archives not confirmed or changed in the academic year. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const academicYear = this.getNodeParameter('academicYear', itemIndex, '') as string;
  return apiRequestAllPages.call(this, '/api/students', { stale: 'true', ...(academicYear ? { academicYear } : {}) }, limitFor(this, itemIndex));
}
