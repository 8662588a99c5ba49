import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { FileResult } from '../../../shared/run-operations';
import { apiRequest, downloadFile } from '../../../shared/transport';
import { text } from '../common.descriptions';

const show = (p: INodeProperties) => field('funder', ['getReport'], p);

export const description: INodeProperties[] = [
  show({ displayName: 'Funder ID (资助方)', name: 'funderId', type: 'string', default: '', required: true }),
  show({ displayName: 'Year (年度)', name: 'year', type: 'number', typeOptions: { minValue: 2000, maxValue: 2100 }, default: 2026, required: true }),
  show({
    displayName: 'Output',
    name: 'output',
    type: 'options',
    default: 'json',
    options: [
      { name: 'Figures (JSON)', value: 'json', description: 'Funds, awards (a student named only with their consent) and activities' },
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
    displayOptions: { show: { resource: ['funder'], operation: ['getReport'], output: ['xlsx'] } },
  },
];

/** E2: the funder’s report for a year — who received what (by name only with consent), funds, activities. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | FileResult> {
  const funder = text(this, 'funderId', itemIndex);
  const year = this.getNodeParameter('year', itemIndex) as number;
  const path = `/api/funders/${encodeURIComponent(funder)}/report`;
  if (this.getNodeParameter('output', itemIndex) === 'json') return (await apiRequest.call(this, 'GET', path, { qs: { year } })) as IDataObject;
  const file = await downloadFile.call(this, path, `funder-report-${year}.xlsx`, { year, format: 'xlsx' });
  const binary = await this.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
  return new FileResult({ funder, year, fileName: file.fileName, bytes: file.data.length }, { [this.getNodeParameter('binaryPropertyName', itemIndex) as string]: binary });
}
