import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { figuresOrWorkbook, figuresOrWorkbookFields } from '../../../shared/figures-or-workbook';
import type { FileResult } from '../../../shared/run-operations';
import { campaignIdField, campaignPath } from '../common.descriptions';

export const description: INodeProperties[] = [
  campaignIdField('campaign', ['getStatistics']),
  ...figuresOrWorkbookFields('campaign', 'getStatistics', {
    collegeDescription: 'College code or ID; empty: the school roll-up (student affairs’ and school leaders’ keys)',
    json: { name: 'Figures (JSON)', description: 'Visits by mode, kind, target group, grade, major and visitor role; coverage against the goal; leader, unplanned and planned-but-not-visited visits' },
    xlsx: { name: 'Statistics Table (XLSX File)', description: 'The table laid out like the paper form (附件2), as a binary file' },
  }),
];

/** D10, 附件2: a college's visit statistics (or the school roll-up) from the records, as figures or as the XLSX table. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | FileResult> {
  return figuresOrWorkbook.call(this, itemIndex, campaignPath(this, itemIndex, '/statistics'), 'statistics', { campaignId: this.getNodeParameter('campaignId', itemIndex) as string });
}
