import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, studentField } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';

const show = (p: INodeProperties) => field('award', ['record'], p);

export const description: INodeProperties[] = [
  studentField('award', ['record']),
  show({ displayName: 'Kind (类型)', name: 'kind', type: 'options', default: 'award', options: [{ name: 'Award (奖励)', value: 'award' }, { name: 'Penalty (处分)', value: 'penalty' }] }),
  show({ displayName: 'Title (名称)', name: 'title', type: 'string', default: '', required: true }),
  show({
    displayName: 'Level (级别)',
    name: 'level',
    type: 'options',
    default: 'school',
    options: [
      { name: 'City (市级)', value: 'city' },
      { name: 'International (国际)', value: 'international' },
      { name: 'Ministerial (部级)', value: 'ministerial' },
      { name: 'National (国家级)', value: 'national' },
      { name: 'Provincial (省级)', value: 'provincial' },
      { name: 'School (校级)', value: 'school' },
    ],
  }),
  show({
    displayName: 'Category (类别)',
    name: 'category',
    type: 'options',
    default: 'honour',
    options: [
      { name: 'Competition (竞赛)', value: 'competition' },
      { name: 'Good Deed (助人为乐/见义勇为)', value: 'goodDeed' },
      { name: 'Honour (荣誉)', value: 'honour' },
      { name: 'Other (其他)', value: 'other' },
    ],
  }),
  show({ displayName: 'Wide Impact (影响较大)', name: 'wideImpact', type: 'boolean', default: false, description: 'Whether a good deed had wide impact in the school and society (qualifies for a 喜报)' }),
  show({ displayName: 'Date (日期)', name: 'date', type: 'dateTime', default: '', required: true }),
];

/** B3/B5: records an award or penalty (opens the notify-parents task; a qualifying award gets a 喜报). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const body: IDataObject = {};
  for (const name of ['student', 'kind', 'title', 'level', 'category', 'wideImpact', 'date']) body[name] = this.getNodeParameter(name, itemIndex);
  return (await apiRequest.call(this, 'POST', '/api/awards', { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'award-record') })) as IDataObject;
}
