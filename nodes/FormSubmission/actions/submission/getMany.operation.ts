import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequestAllItems } from '../../../shared/transport';
import { formPathField, returnAllFields } from '../common.descriptions';

export const description: INodeProperties[] = [formPathField('getMany'), ...returnAllFields('submission', 'getMany')];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const formPath = this.getNodeParameter('formPath', itemIndex) as string;
  const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
  const limit = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex) as number);
  return apiRequestAllItems.call(this, `/form/${encodeURIComponent(formPath)}/submission`, {}, 100, limit);
}
