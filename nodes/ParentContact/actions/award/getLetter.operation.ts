import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';

export const awardIdField = (operations: string[]): INodeProperties =>
  field('award', operations, { displayName: 'Award ID', name: 'awardId', type: 'string', default: '', required: true });

export const description: INodeProperties[] = [awardIdField(['getLetter'])];

/** B5: the printable 喜报 as HTML (`html`), ready to e-mail or print. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const awardId = this.getNodeParameter('awardId', itemIndex) as string;
  // The credential is read once per run and a missing award fails with the service's own message.
  const html = await apiRequest.call(this, 'GET', `/api/awards/${encodeURIComponent(awardId)}/letter`, { acceptText: 'text/html' });
  if (typeof html !== 'string') throw new NodeOperationError(this.getNode(), 'The service did not answer the letter as HTML (喜报未以网页形式返回)', { itemIndex });
  return { awardId, html };
}
