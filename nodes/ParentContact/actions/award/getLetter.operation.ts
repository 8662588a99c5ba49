import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';

export const awardIdField = (operations: string[]): INodeProperties =>
  field('award', operations, { displayName: 'Award ID', name: 'awardId', type: 'string', default: '', required: true });

export const description: INodeProperties[] = [awardIdField(['getLetter'])];

/** B5: the printable 喜报 as HTML (`html`), ready to e-mail or print. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const awardId = this.getNodeParameter('awardId', itemIndex) as string;
  // The credential is read once per run and a missing award fails with the service's own message.
  const html = await apiRequest.call(this, 'GET', `/api/awards/${encodeURIComponent(awardId)}/letter`, { text: 'text/html' });
  return { awardId, html: String(html) };
}
