import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';
import { text } from '../common.descriptions';

const show = (p: INodeProperties) => field('funder', ['createFund'], p);

export const description: INodeProperties[] = [
  show({ displayName: 'Funder ID (资助方)', name: 'funderId', type: 'string', default: '', required: true, description: 'As answered by Funder › Create' }),
  show({
    displayName: 'Kind (类型)',
    name: 'kind',
    type: 'options',
    default: 'scholarship',
    options: [
      { name: 'Grant (助学金)', value: 'grant' },
      { name: 'Scholarship (奖学金)', value: 'scholarship' },
    ],
  }),
  show({ displayName: 'Name (名称)', name: 'name', type: 'string', default: '', required: true }),
  show({ displayName: 'Year (年度)', name: 'year', type: 'number', typeOptions: { minValue: 2000, maxValue: 2100 }, default: 2026, required: true }),
  show({ displayName: 'Amount (金额, 元)', name: 'amount', type: 'number', typeOptions: { minValue: 1, numberPrecision: 0 }, default: 10000, required: true, description: 'In yuan, a whole number' }),
  show({ displayName: 'Criteria (评选条件)', name: 'criteria', type: 'string', typeOptions: { rows: 3 }, default: '', required: true }),
];

/** E2: a scholarship or grant of a funder for a year; awards from it never pass its amount. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const body: IDataObject = {
    kind: this.getNodeParameter('kind', itemIndex),
    name: text(this, 'name', itemIndex),
    year: this.getNodeParameter('year', itemIndex),
    amount: this.getNodeParameter('amount', itemIndex),
    criteria: this.getNodeParameter('criteria', itemIndex),
  };
  const path = `/api/funders/${encodeURIComponent(text(this, 'funderId', itemIndex))}/funds`;
  return (await apiRequest.call(this, 'POST', path, { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'fund-create') })) as IDataObject;
}
