import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { limitFor, returnAllAndLimit } from '../../../shared/fields';
import { apiRequestAllPages } from '../../../shared/transport';
import { campaignIdField, campaignPath, collegeField } from '../common.descriptions';

export const description: INodeProperties[] = [
  campaignIdField('report', ['getRevisitCandidates']),
  collegeField(['getRevisitCandidates'], 'report'),
  ...returnAllAndLimit('report', 'getRevisitCandidates'),
];

/** D8: students of the college visited in earlier campaigns and not yet in this one, each with their last visit in brief (one item each). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const qs = { college: this.getNodeParameter('college', itemIndex) as string };
  return apiRequestAllPages.call(this, campaignPath(this, itemIndex, '/revisit-candidates'), qs, limitFor(this, itemIndex), 100);
}
