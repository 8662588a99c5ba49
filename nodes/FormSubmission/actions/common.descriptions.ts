import type { INodeProperties } from 'n8n-workflow';

/** Form picker shared by the submission operations (path alias, e.g. visitReport). */
export function formPathField(operation: string): INodeProperties {
  return {
    displayName: 'Form (表单) Name or ID',
    name: 'formPath',
    type: 'options',
    typeOptions: { loadOptionsMethod: 'getForms' },
    default: '',
    required: true,
    description: 'The form whose submissions to work with. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
    displayOptions: { show: { resource: ['submission'], operation: [operation] } },
  };
}

export function submissionIdField(operation: string): INodeProperties {
  return {
    displayName: 'Submission ID (提交记录 ID)',
    name: 'submissionId',
    type: 'string',
    default: '',
    required: true,
    displayOptions: { show: { resource: ['submission'], operation: [operation] } },
  };
}

export function dataField(operation: string, description: string): INodeProperties {
  return {
    displayName: 'Data (表单数据)',
    name: 'data',
    type: 'json',
    default: '{}',
    required: true,
    description,
    displayOptions: { show: { resource: ['submission'], operation: [operation] } },
  };
}

export { returnAllAndLimit as returnAllFields } from '../../shared/fields';
