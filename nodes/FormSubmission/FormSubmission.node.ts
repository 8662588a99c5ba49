import type { IExecuteFunctions, ILoadOptionsFunctions, INodeExecutionData, INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { apiRequestAllItems } from '../shared/transport';
import * as form from './actions/form';
import { router } from './actions/router';
import * as submission from './actions/submission';

export class FormSubmission implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Form Submission (表单提交)',
    name: 'formSubmission',
    icon: { light: 'file:homeSchoolBridge.svg', dark: 'file:homeSchoolBridge.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    description: 'Read and write Form.io submissions in Home–School Bridge (家校心桥)',
    defaults: { name: 'Form Submission' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'homeSchoolBridgeApi', required: true }],
    properties: [
      {
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        options: [
          { name: 'Form (表单)', value: 'form' },
          { name: 'Submission (提交记录)', value: 'submission' },
        ],
        default: 'submission',
      },
      ...form.description,
      ...submission.description,
    ],
  };

  methods = {
    loadOptions: {
      async getForms(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
        const forms = await apiRequestAllItems.call(this, '/form');
        return forms.map((f) => ({ name: `${String(f.title)} (${String(f.path)})`, value: String(f.path) }));
      },
    },
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return router.call(this);
  }
}
