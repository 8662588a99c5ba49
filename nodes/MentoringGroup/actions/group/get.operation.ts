import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../../shared/transport';
import { groupIdField, groupPath } from '../common.descriptions';

export const description: INodeProperties[] = [groupIdField(['get'])];

/** A group: state, student, needs, plan, members and their history, approval, last activity, outcome, revision. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  return (await apiRequest.call(this, 'GET', groupPath(this, itemIndex))) as IDataObject;
}
