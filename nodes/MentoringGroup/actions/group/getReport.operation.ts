import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';
import { dateText } from '../common.descriptions';

const show = (p: INodeProperties) => field('group', ['getReport'], p);

export const description: INodeProperties[] = [
  show({ displayName: 'From (起始日期)', name: 'from', type: 'dateTime', default: '', required: true, description: 'First day of the period (Beijing time)' }),
  show({ displayName: 'To (截止日期)', name: 'to', type: 'dateTime', default: '', required: true, description: 'Last day of the period (Beijing time)' }),
];

/** C2: per college — groups proposed, formed, active, closed with their outcomes, activities logged, silent groups — and the totals, as one item. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const day = (name: string) => dateText(this.getNodeParameter(name, itemIndex)).slice(0, 10);
  return (await apiRequest.call(this, 'GET', '/api/mentoring-groups/report', { qs: { from: day('from'), to: day('to') } })) as IDataObject;
}
