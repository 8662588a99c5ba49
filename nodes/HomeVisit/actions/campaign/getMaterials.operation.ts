import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { FileResult } from '../../../shared/run-operations';
import { downloadFile } from '../../../shared/transport';
import { campaignIdField, campaignPath, collegeField } from '../common.descriptions';

export const description: INodeProperties[] = [
  campaignIdField('campaign', ['getMaterials']),
  collegeField(['getMaterials'], 'campaign'),
  field('campaign', ['getMaterials'], {
    displayName: 'Put Output File in Field',
    name: 'binaryPropertyName',
    type: 'string',
    default: 'data',
    required: true,
    hint: 'The name of the output binary field to put the ZIP in',
  }),
];

/** Seed 001 §8: the college's materials package (reports as PDF, photos named after the student, media, plan, statistics) as a ZIP file. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<FileResult> {
  const college = this.getNodeParameter('college', itemIndex) as string;
  const file = await downloadFile.call(this, campaignPath(this, itemIndex, `/colleges/${encodeURIComponent(college)}/materials.zip`), `materials-${college}.zip`);
  const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
  const binary = await this.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
  return new FileResult({ campaignId: this.getNodeParameter('campaignId', itemIndex) as string, college, fileName: file.fileName, bytes: file.data.length }, { [property]: binary });
}
