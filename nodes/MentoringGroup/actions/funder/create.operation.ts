import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';
import { text } from '../common.descriptions';

const show = (p: INodeProperties) => field('funder', ['create'], p);

export const description: INodeProperties[] = [
  show({
    displayName: 'Kind (类型)',
    name: 'kind',
    type: 'options',
    default: 'company',
    options: [
      { name: 'Alumnus (校友)', value: 'alumnus' },
      { name: 'Company (企业)', value: 'company' },
      { name: 'Individual (个人)', value: 'individual' },
      { name: 'Social Group (社会团体)', value: 'socialGroup' },
    ],
  }),
  show({ displayName: 'Name (名称)', name: 'name', type: 'string', default: '', required: true }),
  show({ displayName: 'Contact (联系方式)', name: 'contact', type: 'string', default: '' }),
  show({ displayName: 'Note (备注)', name: 'note', type: 'string', default: '' }),
];

/** E2: a company, social group, alumnus or individual who funds scholarships or grants. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const body: IDataObject = { kind: this.getNodeParameter('kind', itemIndex), name: text(this, 'name', itemIndex) };
  for (const name of ['contact', 'note']) {
    const value = text(this, name, itemIndex);
    if (value) body[name] = value;
  }
  return (await apiRequest.call(this, 'POST', '/api/funders', { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'funder-create') })) as IDataObject;
}
