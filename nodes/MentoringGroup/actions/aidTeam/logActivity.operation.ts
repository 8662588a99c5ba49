import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';
import { dateText, text } from '../common.descriptions';

const show = (p: INodeProperties) => field('aidTeam', ['logActivity'], p);

export const description: INodeProperties[] = [
  show({
    displayName: 'Kind (活动类型)',
    name: 'kind',
    type: 'options',
    default: 'volunteering',
    options: [
      { name: 'Policy Publicity (政策宣传)', value: 'policyPublicity' },
      { name: 'Social Practice (社会实践)', value: 'socialPractice' },
      { name: 'Social Service (社会服务)', value: 'socialService' },
      { name: 'Volunteering (志愿服务)', value: 'volunteering' },
    ],
  }),
  show({ displayName: 'Title (活动名称)', name: 'title', type: 'string', default: '', required: true }),
  show({ displayName: 'Date (日期)', name: 'date', type: 'dateTime', default: '', required: true }),
  show({ displayName: 'Place (地点)', name: 'place', type: 'string', default: '' }),
  show({
    displayName: 'Participants (参加队员)',
    name: 'participants',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    placeholder: 'Add Participant',
    default: {},
    required: true,
    options: [
      {
        displayName: 'Participant',
        name: 'participant',
        values: [
          { displayName: 'Member ID (队员)', name: 'member', type: 'string', default: '', description: 'The team membership ID (as answered by Aid Team › Add Member)' },
          { displayName: 'Hours (服务时长)', name: 'hours', type: 'number', typeOptions: { minValue: 0.5, maxValue: 24, numberPrecision: 1 }, default: 2 },
        ],
      },
    ],
  }),
];

/** E1: an activity of the team with each current member’s hours. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const participants = ((this.getNodeParameter('participants', itemIndex, {}) as { participant?: IDataObject[] }).participant ?? []).map((p) => ({ member: String(p.member ?? '').trim(), hours: Number(p.hours) }));
  const body: IDataObject = { kind: this.getNodeParameter('kind', itemIndex), title: this.getNodeParameter('title', itemIndex), date: dateText(this.getNodeParameter('date', itemIndex)).slice(0, 10), participants };
  const place = text(this, 'place', itemIndex);
  if (place) body.place = place;
  return (await apiRequest.call(this, 'POST', '/api/aid-team/activities', { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'aid-team-activity') })) as IDataObject;
}
