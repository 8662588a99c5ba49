import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequestAllItems } from '../../../shared/transport';
import { returnAllFields } from '../common.descriptions';

export const description: INodeProperties[] = [...returnAllFields('form', 'getMany')];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
  const limit = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex) as number);
  return apiRequestAllItems.call(this, '/form', {}, 100, limit);
}
