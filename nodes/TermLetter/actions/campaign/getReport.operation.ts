import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { FileResult } from '../../../shared/run-operations';
import { apiRequest, downloadFile } from '../../../shared/transport';
import { campaignIdField, campaignPath } from '../common.descriptions';

export const description: INodeProperties[] = [
  campaignIdField(['getReport']),
  field('campaign', ['getReport'], {
    displayName: 'College (学院)',
    name: 'college',
    type: 'string',
    default: '',
    placeholder: 'JD',
    description: 'College code or ID; empty: the whole school',
  }),
  field('campaign', ['getReport'], {
    displayName: 'Output',
    name: 'output',
    type: 'options',
    default: 'json',
    options: [
      { name: 'Figures (JSON)', value: 'json', description: 'Reach, reading, answers and the handling of every feedback, by college' },
      { name: 'Report (XLSX File)', value: 'xlsx', description: 'The report as a workbook, as a binary file' },
    ],
  }),
  {
    displayName: 'Put Output File in Field',
    name: 'binaryPropertyName',
    type: 'string',
    default: 'data',
    required: true,
    hint: 'The name of the output binary field to put the XLSX in',
    displayOptions: { show: { resource: ['campaign'], operation: ['getReport'], output: ['xlsx'] } },
  },
];

/** B6 §6: the campaign's report, as figures or as the XLSX workbook. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | FileResult> {
  const college = this.getNodeParameter('college', itemIndex) as string;
  const qs: IDataObject = college ? { college } : {};
  const campaign = String(this.getNodeParameter('campaignId', itemIndex)).trim();
  if (this.getNodeParameter('output', itemIndex) === 'json') {
    return { campaign, ...((await apiRequest.call(this, 'GET', campaignPath(this, itemIndex, '/report'), { qs })) as IDataObject) };
  }
  const file = await downloadFile.call(this, campaignPath(this, itemIndex, '/report.xlsx'), `term-letter-report-${college || 'school'}.xlsx`, qs);
  const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
  const binary = await this.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
  return new FileResult({ campaign, college: college || null, fileName: file.fileName, bytes: file.data.length }, { [property]: binary });
}
