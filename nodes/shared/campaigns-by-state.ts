import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, limitFor, returnAllAndLimit } from './fields';
import { apiRequestAllPages } from './transport';

/** The service answers at most 100 campaigns a page. */
const PAGE_SIZE = 100;

/** A campaign resource's Get Many fields: a state filter (besides Any) and Return All / Limit. */
export function campaignsByStateFields(states: Array<{ name: string; value: string }>, description: string): INodeProperties[] {
  return [
    field('campaign', ['getMany'], { displayName: 'State (状态)', name: 'state', type: 'options', default: '', options: [{ name: 'Any', value: '' }, ...states], description }),
    ...returnAllAndLimit('campaign', 'getMany'),
  ];
}

/** Reads the campaigns at `path`, page by page, in the state the node asks for. */
export async function campaignsByState(this: IExecuteFunctions, itemIndex: number, path: string): Promise<IDataObject[]> {
  const state = this.getNodeParameter('state', itemIndex) as string;
  return apiRequestAllPages.call(this, path, state ? { state } : {}, limitFor(this, itemIndex), PAGE_SIZE);
}
