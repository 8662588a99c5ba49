import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { campaignIdField } from '../common.descriptions';
import { collegeRow, readOverview } from './getOverview.operation';

export const description: INodeProperties[] = [
  campaignIdField('campaign', ['getCollegesWithoutPlan']),
  field('campaign', ['getCollegesWithoutPlan'], {
    displayName: 'Without (缺少)',
    name: 'without',
    type: 'options',
    default: 'submitted',
    options: [
      { name: 'Submitted Plan (未提交计划)', value: 'submitted', description: 'Colleges that have never submitted their plan (no plan, or a draft only)' },
      { name: 'Approved Plan (无已批准计划)', value: 'approved', description: 'Colleges whose plan has not been approved yet (none, draft, submitted or returned)' },
    ],
  }),
];

/** One item per college of the campaign lacking a submitted (or approved) plan; no items when every college has one. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const overview = await readOverview(this, itemIndex);
  const lacking = new Set(this.getNodeParameter('without', itemIndex) === 'approved' ? overview.withoutApprovedPlan : overview.withoutSubmittedPlan);
  return overview.colleges.filter((row) => lacking.has(String(row.college))).map((row) => collegeRow(overview, row));
}
