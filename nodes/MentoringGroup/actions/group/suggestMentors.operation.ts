import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { studentIdField, text } from '../common.descriptions';

export const description: INodeProperties[] = [studentIdField('group', ['suggestMentors'], 'The archive ID of the student the group would help (as in the student.markedSpecial event)')];

/**
 * C1: the staff who could mentor the student, least loaded first, then those who counsel a student of the
 * same major — one item per suggestion, each with the student it is for.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const answer = (await apiRequest.call(this, 'GET', '/api/mentoring-groups/suggestions', { qs: { student: text(this, 'student', itemIndex) } })) as { student: IDataObject; items: IDataObject[] };
  return answer.items.map((item) => ({ ...item, student: answer.student }));
}
