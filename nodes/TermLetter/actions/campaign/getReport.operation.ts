import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { figuresOrWorkbook, figuresOrWorkbookFields } from '../../../shared/figures-or-workbook';
import type { FileResult } from '../../../shared/run-operations';
import { campaignIdField, campaignPath } from '../common.descriptions';

export const description: INodeProperties[] = [
  campaignIdField(['getReport']),
  ...figuresOrWorkbookFields('campaign', 'getReport', {
    collegeDescription: 'College code or ID; empty: the whole school',
    json: { name: 'Figures (JSON)', description: 'Reach, reading, answers and the handling of every feedback, by college' },
    xlsx: { name: 'Report (XLSX File)', description: 'The report as a workbook, as a binary file' },
  }),
];

/** B6 §6: the campaign's report, as figures or as the XLSX workbook. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | FileResult> {
  return figuresOrWorkbook.call(this, itemIndex, campaignPath(this, itemIndex, '/report'), 'term-letter-report', { campaign: String(this.getNodeParameter('campaignId', itemIndex)).trim() });
}
