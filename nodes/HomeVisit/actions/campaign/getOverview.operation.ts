import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';
import { campaignIdField, campaignPath } from '../common.descriptions';

export const description: INodeProperties[] = [
  campaignIdField('campaign', ['getOverview']),
  field('campaign', ['getOverview'], {
    displayName: 'One Item per College',
    name: 'splitColleges',
    type: 'boolean',
    default: false,
    description: 'Whether to output one item per college (with the campaign’s ID and title) instead of the whole overview as one item',
  }),
];

export interface Overview extends IDataObject {
  campaign: IDataObject;
  colleges: IDataObject[];
  withoutSubmittedPlan: string[];
  withoutApprovedPlan: string[];
}

export async function readOverview(context: IExecuteFunctions, itemIndex: number): Promise<Overview> {
  return (await apiRequest.call(context, 'GET', campaignPath(context, itemIndex, '/overview'))) as Overview;
}

/** A college's row of the overview, with the campaign it belongs to. */
export function collegeRow(overview: Overview, row: IDataObject): IDataObject {
  return { campaignId: overview.campaign.id, campaignTitle: overview.campaign.title, ...row };
}

/** Coverage per college (within the key's scope): plan state, students, required vs planned visits, leader visits, deadline. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]> {
  const overview = await readOverview(this, itemIndex);
  if (!this.getNodeParameter('splitColleges', itemIndex)) return overview;
  return overview.colleges.map((row) => collegeRow(overview, row));
}
