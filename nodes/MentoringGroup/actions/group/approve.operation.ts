import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { groupIdField, groupPath } from '../common.descriptions';

export const description: INodeProperties[] = [groupIdField(['approve'])];

/** C1: a proposed group becomes active, as approved by the key’s owner (the college’s leader or a school role; emits mentoring.formed). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  return (await apiRequest.call(this, 'POST', groupPath(this, itemIndex, '/approve'), { body: {} })) as IDataObject;
}
