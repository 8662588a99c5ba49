import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from './fields';
import { FileResult } from './run-operations';
import { apiRequest, downloadFile } from './transport';

export interface FiguresOrWorkbookText {
  collegeDescription: string;
  json: { name: string; description: string };
  xlsx: { name: string; description: string };
}

/** A college filter and the choice of figures (JSON) or the workbook (XLSX binary) of a campaign's summary. */
export function figuresOrWorkbookFields(resource: string, operation: string, text: FiguresOrWorkbookText): INodeProperties[] {
  return [
    field(resource, [operation], { displayName: 'College (学院)', name: 'college', type: 'string', default: '', placeholder: 'JD', description: text.collegeDescription }),
    field(resource, [operation], {
      displayName: 'Output',
      name: 'output',
      type: 'options',
      default: 'json',
      options: [
        { name: text.json.name, value: 'json', description: text.json.description },
        { name: text.xlsx.name, value: 'xlsx', description: text.xlsx.description },
      ],
    }),
    {
      displayName: 'Put Output File in Field',
      name: 'binaryPropertyName',
      type: 'string',
      default: 'data',
      required: true,
      hint: 'The name of the output binary field to put the XLSX in',
      displayOptions: { show: { resource: [resource], operation: [operation], output: ['xlsx'] } },
    },
  ];
}

/**
 * Reads `<path>` (figures) or `<path>.xlsx` (the workbook, named `<fileStem>-<college or school>.xlsx`) with the
 * node's college filter; `echo` is merged into the figures and the file item's JSON.
 */
export async function figuresOrWorkbook(this: IExecuteFunctions, itemIndex: number, path: string, fileStem: string, echo: IDataObject): Promise<IDataObject | FileResult> {
  const college = this.getNodeParameter('college', itemIndex) as string;
  const qs: IDataObject = college ? { college } : {};
  if (this.getNodeParameter('output', itemIndex) === 'json') {
    return { ...echo, ...((await apiRequest.call(this, 'GET', path, { qs })) as IDataObject) };
  }
  const file = await downloadFile.call(this, `${path}.xlsx`, `${fileStem}-${college || 'school'}.xlsx`, qs);
  const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
  const binary = await this.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
  return new FileResult({ ...echo, college: college || null, fileName: file.fileName, bytes: file.data.length }, { [property]: binary });
}
