import type { IExecuteFunctions, ILoadOptionsFunctions, INodeExecutionData, INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { ACTION_NODE_BASE, resourceProperty } from '../shared/node-description';
import { apiRequestAllItems } from '../shared/transport';
import * as form from './actions/form';
import { router } from './actions/router';
import * as submission from './actions/submission';

export class FormSubmission implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Form Submission (表单提交)',
    name: 'formSubmission',
    icon: { light: 'file:homeSchoolBridge.svg', dark: 'file:homeSchoolBridge.dark.svg' },
    ...ACTION_NODE_BASE,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    usableAsTool: true,
    description: 'Read and write Form.io submissions in Home–School Bridge (家校心桥)',
    defaults: { name: 'Form Submission' },
    properties: [
      resourceProperty(
        [
          { name: 'Form (表单)', value: 'form' },
          { name: 'Submission (提交记录)', value: 'submission' },
        ],
        'submission',
      ),
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
