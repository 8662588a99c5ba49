import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { FileResult } from '../../../shared/run-operations';
import { apiRequest, downloadFile } from '../../../shared/transport';
import { campaignIdField, campaignPath } from '../common.descriptions';

export const description: INodeProperties[] = [
  campaignIdField('campaign', ['getStatistics']),
  field('campaign', ['getStatistics'], {
    displayName: 'College (学院)',
    name: 'college',
    type: 'string',
    default: '',
    placeholder: 'JD',
    description: 'College code or ID; empty: the school roll-up (student affairs’ and school leaders’ keys)',
  }),
  field('campaign', ['getStatistics'], {
    displayName: 'Output',
    name: 'output',
    type: 'options',
    default: 'json',
    options: [
      { name: 'Figures (JSON)', value: 'json', description: 'Visits by mode, kind, target group, grade, major and visitor role; coverage against the goal; leader, unplanned and planned-but-not-visited visits' },
      { name: 'Statistics Table (XLSX File)', value: 'xlsx', description: 'The table laid out like the paper form (附件2), as a binary file' },
    ],
  }),
  {
    displayName: 'Put Output File in Field',
    name: 'binaryPropertyName',
    type: 'string',
    default: 'data',
    required: true,
    hint: 'The name of the output binary field to put the XLSX in',
    displayOptions: { show: { resource: ['campaign'], operation: ['getStatistics'], output: ['xlsx'] } },
  },
];

/** D10, 附件2: a college's visit statistics (or the school roll-up) from the records, as figures or as the XLSX table. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | FileResult> {
  const college = this.getNodeParameter('college', itemIndex) as string;
  const qs: IDataObject = college ? { college } : {};
  if (this.getNodeParameter('output', itemIndex) === 'json') {
    return (await apiRequest.call(this, 'GET', campaignPath(this, itemIndex, '/statistics'), { qs })) as IDataObject;
  }
  const file = await downloadFile.call(this, campaignPath(this, itemIndex, '/statistics.xlsx'), `statistics-${college || 'school'}.xlsx`, qs);
  const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
  const binary = await this.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
  return new FileResult({ campaignId: this.getNodeParameter('campaignId', itemIndex) as string, college: college || null, fileName: file.fileName, bytes: file.data.length }, { [property]: binary });
}
