import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';

export const description: INodeProperties[] = [
  field('report', ['getMissing'], { displayName: 'Campaign ID (家访活动)', name: 'campaignId', type: 'string', default: '', description: 'The campaign; empty: every open campaign' }),
  field('report', ['getMissing'], { displayName: 'College (学院)', name: 'college', type: 'string', default: '', placeholder: 'JD', description: 'College code or ID; empty: every college the key may read' }),
  field('report', ['getMissing'], {
    displayName: 'Grace Days (宽限天数)',
    name: 'graceDays',
    type: 'number',
    typeOptions: { minValue: -1, maxValue: 60 },
    default: -1,
    description: 'Days after the planned day (or the end of the visit window) before a report counts as missing; -1: the service’s setting (HSB_VISIT_REPORT_GRACE_DAYS, 3 by default)',
  }),
  field('report', ['getMissing'], {
    displayName: 'Output',
    name: 'output',
    type: 'options',
    default: 'visitor',
    options: [
      { name: 'One Item per Visitor', value: 'visitor', description: 'Each visitor with an account, their e-mail and their visits missing a report: one reminder each' },
      { name: 'One Item per Visit', value: 'visit', description: 'Each approved visit missing its report, with its visitors' },
    ],
  }),
];

/** Approved visits whose report is missing a few days after their planned day (none, or not submitted). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const qs: IDataObject = {};
  const campaign = this.getNodeParameter('campaignId', itemIndex) as string;
  const college = this.getNodeParameter('college', itemIndex) as string;
  const graceDays = this.getNodeParameter('graceDays', itemIndex) as number;
  if (campaign) qs.campaign = campaign;
  if (college) qs.college = college;
  if (graceDays >= 0) qs.graceDays = graceDays;
  const found = (await apiRequest.call(this, 'GET', '/api/visit-reports/missing', { qs })) as { asOf: string; graceDays: number; items: IDataObject[]; byVisitor: IDataObject[] };
  const context = { asOf: found.asOf, graceDays: found.graceDays };
  const items = this.getNodeParameter('output', itemIndex) === 'visit' ? found.items : found.byVisitor;
  return items.map((item) => ({ ...context, ...item }));
}
