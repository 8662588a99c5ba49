import type { INodeProperties } from 'n8n-workflow';

/** A property shown only for one resource and operation(s). */
export function field(resource: string, operations: string[], property: INodeProperties): INodeProperties {
  return { ...property, displayOptions: { show: { resource: [resource], operation: operations } } };
}

export function returnAllAndLimit(resource: string, operation: string): INodeProperties[] {
  return [
    field(resource, [operation], { displayName: 'Return All', name: 'returnAll', type: 'boolean', default: false, description: 'Whether to return all results or only up to a given limit' }),
    {
      displayName: 'Limit',
      name: 'limit',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 50,
      description: 'Max number of results to return',
      displayOptions: { show: { resource: [resource], operation: [operation], returnAll: [false] } },
    },
  ];
}

export function limitFor(context: { getNodeParameter(name: string, index: number): unknown }, itemIndex: number): number {
  return context.getNodeParameter('returnAll', itemIndex) ? Number.POSITIVE_INFINITY : (context.getNodeParameter('limit', itemIndex) as number);
}

/** The student a record is about: its id or student number (学号). */
export function studentField(resource: string, operations: string[]): INodeProperties {
  return field(resource, operations, {
    displayName: 'Student (学生)',
    name: 'student',
    type: 'string',
    default: '',
    required: true,
    placeholder: '2024XX0001',
    description: 'Student number (学号) or the archive ID',
  });
}

export function jsonObjectField(resource: string, operations: string[], name: string, displayName: string, description: string): INodeProperties {
  return field(resource, operations, { displayName, name, type: 'json', default: '{}', required: true, description });
}

export function operationOptions(resource: string, options: Array<{ name: string; value: string; action: string; description?: string }>, fallback: string): INodeProperties {
  return {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: [resource] } },
    options,
    default: fallback,
  };
}
