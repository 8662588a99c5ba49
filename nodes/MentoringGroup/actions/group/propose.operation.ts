import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';
import { AREA_OPTIONS, EMPLOYMENT_OPTIONS, studentIdField, text, userIdProperty } from '../common.descriptions';

const show = (p: INodeProperties) => field('group', ['propose'], p);

export const description: INodeProperties[] = [
  studentIdField('group', ['propose'], 'The archive ID of a special student (特殊群体) of the key’s college scope'),
  show({
    displayName: 'Members (小组成员)',
    name: 'members',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    placeholder: 'Add Member',
    default: {},
    required: true,
    description: 'Three to five staff, exactly one of them the leader',
    options: [
      {
        displayName: 'Member',
        name: 'member',
        values: [
          userIdProperty('User ID (教师)', 'The staff member’s user ID (as in Group › Suggest Mentors)'),
          { displayName: 'Employment (专兼职)', name: 'employment', type: 'options', default: 'fullTime', options: EMPLOYMENT_OPTIONS },
          {
            displayName: 'Role (组内角色)',
            name: 'role',
            type: 'options',
            default: 'member',
            options: [
              { name: 'Leader (组长)', value: 'leader' },
              { name: 'Member (成员)', value: 'member' },
            ],
          },
        ],
      },
    ],
  }),
  show({
    displayName: 'Needs (帮扶需求)',
    name: 'needs',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    placeholder: 'Add Need',
    default: {},
    required: true,
    options: [
      {
        displayName: 'Need',
        name: 'need',
        values: [
          { displayName: 'Area (帮扶方面)', name: 'area', type: 'options', default: 'studyInterest', options: AREA_OPTIONS },
          { displayName: 'Note (说明)', name: 'note', type: 'string', default: '' },
        ],
      },
    ],
  }),
  show({ displayName: 'Plan (帮扶计划)', name: 'plan', type: 'string', typeOptions: { rows: 4 }, default: '', required: true }),
];

/** C1: proposes a mentoring group for a special student; it waits for the college leader’s approval (emits mentoring.proposed). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const members = ((this.getNodeParameter('members', itemIndex, {}) as { member?: IDataObject[] }).member ?? []).map((m) => ({ user: String(m.user ?? '').trim(), employment: m.employment, role: m.role }));
  const needs = ((this.getNodeParameter('needs', itemIndex, {}) as { need?: IDataObject[] }).need ?? []).map((n) => ({ area: n.area, note: String(n.note ?? '') }));
  const body: IDataObject = { student: text(this, 'student', itemIndex), members, needs, plan: this.getNodeParameter('plan', itemIndex) };
  return (await apiRequest.call(this, 'POST', '/api/mentoring-groups', { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'mentoring-propose') })) as IDataObject;
}
