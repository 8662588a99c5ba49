import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';
import { text } from '../common.descriptions';

const show = (p: INodeProperties) => field('aidTeam', ['getSummary'], p);

export const description: INodeProperties[] = [
  show({ displayName: 'Year (年度)', name: 'year', type: 'number', typeOptions: { minValue: 2000, maxValue: 2100 }, default: 2026, required: true }),
  show({ displayName: 'Member ID (队员)', name: 'member', type: 'string', default: '', description: 'One membership’s summary; empty: one item per member of the team' }),
];

/** E1: activities and hours in a year, by kind — of one member, or one item per member. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]> {
  const qs = { year: this.getNodeParameter('year', itemIndex) as number };
  const member = text(this, 'member', itemIndex);
  if (member) return (await apiRequest.call(this, 'GET', `/api/aid-team/members/${encodeURIComponent(member)}/summary`, { qs })) as IDataObject;
  const answer = (await apiRequest.call(this, 'GET', '/api/aid-team/summary', { qs })) as IDataObject[] | { items: IDataObject[] };
  return Array.isArray(answer) ? answer : answer.items;
}
