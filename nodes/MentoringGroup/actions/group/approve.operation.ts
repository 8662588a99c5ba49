import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { onBehalfOfBody, onBehalfOfField } from '../../../shared/on-behalf-of';
import { apiRequest } from '../../../shared/transport';
import { groupIdField, groupPath } from '../common.descriptions';

export const description: INodeProperties[] = [groupIdField(['approve']), onBehalfOfField('group', ['approve'], 'mentoring:relay')];

/** C1: a proposed group becomes active, approved by the key’s owner or the approver named (the college’s leader or a school role; emits mentoring.formed). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  return (await apiRequest.call(this, 'POST', groupPath(this, itemIndex, '/approve'), { body: onBehalfOfBody(this, itemIndex) })) as IDataObject;
}
