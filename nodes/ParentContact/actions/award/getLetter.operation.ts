import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { CREDENTIAL_TYPE } from '../../../shared/transport';

export const awardIdField = (operations: string[]): INodeProperties =>
  field('award', operations, { displayName: 'Award ID', name: 'awardId', type: 'string', default: '', required: true });

export const description: INodeProperties[] = [awardIdField(['getLetter'])];

/** B5: the printable 喜报 as HTML (`html`), ready to e-mail or print. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const awardId = this.getNodeParameter('awardId', itemIndex) as string;
  const credentials = await this.getCredentials<{ baseUrl: string }>(CREDENTIAL_TYPE);
  try {
    const html = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
      method: 'GET',
      url: `${String(credentials.baseUrl).replace(/\/+$/, '')}/api/awards/${encodeURIComponent(awardId)}/letter`,
      headers: { Accept: 'text/html' },
      json: false,
    })) as string;
    return { awardId, html };
  } catch (error) {
    throw new NodeApiError(this.getNode(), { message: (error as Error).message }, { message: 'Good-news letter not available (喜报不可用)' });
  }
}
