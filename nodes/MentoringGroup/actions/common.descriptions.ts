import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../shared/fields';

/** The five areas of need (seed §3(三)). */
export const AREA_OPTIONS = [
  { name: 'Ideals and Values (理想信念与价值观)', value: 'values' },
  { name: 'Legal Awareness (法律意识)', value: 'legalAwareness' },
  { name: 'Mental Health (心理疏导)', value: 'mentalHealth' },
  { name: 'Practical Difficulties (实际困难)', value: 'practicalDifficulties' },
  { name: 'Study Interest (学习兴趣)', value: 'studyInterest' },
];

export const EMPLOYMENT_OPTIONS = [
  { name: 'Full-Time (专职)', value: 'fullTime' },
  { name: 'Part-Time (兼职)', value: 'partTime' },
];

/** The mentoring group an operation works on. */
export function groupIdField(operations: string[]): INodeProperties {
  return field('group', operations, {
    displayName: 'Group ID (帮扶小组)',
    name: 'groupId',
    type: 'string',
    default: '',
    required: true,
    description: 'The ID of the mentoring group (as in the mentoring.* events or Group › Get Many)',
  });
}

export function groupPath(context: IExecuteFunctions, itemIndex: number, tail = ''): string {
  return `/api/mentoring-groups/${encodeURIComponent(String(context.getNodeParameter('groupId', itemIndex)).trim())}${tail}`;
}

/** The student a record is about, by the archive ID. */
export function studentIdField(resource: string, operations: string[], description: string): INodeProperties {
  return field(resource, operations, { displayName: 'Student ID (学生)', name: 'student', type: 'string', default: '', required: true, description });
}

/** A user of the service, by ID. */
export const userIdProperty = (displayName: string, description?: string): INodeProperties => ({ displayName, name: 'user', type: 'string', default: '', ...(description ? { description } : {}) });

/** A trimmed string parameter; '' when empty. */
export function text(context: IExecuteFunctions, name: string, itemIndex: number): string {
  return String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
}

/** A date(-time) parameter as n8n's picker writes it, sent as is (the service reads wall time as Beijing time). */
export function dateText(value: unknown): string {
  return String(value ?? '').trim();
}
