import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, studentField } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';

const show = (p: INodeProperties) => field('contact', ['log'], p);

export const description: INodeProperties[] = [
  studentField('contact', ['log']),
  show({ displayName: 'Guardian (联系的家长)', name: 'guardianName', type: 'string', default: '', required: true }),
  show({
    displayName: 'Channel (沟通方式)',
    name: 'channel',
    type: 'options',
    default: 'phone',
    options: [
      { name: 'Home Visit (家访)', value: 'homeVisit' },
      { name: 'Letter (信件)', value: 'letter' },
      { name: 'Meeting (座谈会)', value: 'meeting' },
      { name: 'Online Platform (网络平台)', value: 'online' },
      { name: 'Phone (电话)', value: 'phone' },
      { name: 'SMS (短信)', value: 'sms' },
    ],
  }),
  show({
    displayName: 'Topics (沟通内容)',
    name: 'topics',
    type: 'multiOptions',
    default: ['conduct'],
    required: true,
    options: [
      { name: 'Awards and Penalties (奖惩情况)', value: 'awardsPenalties' },
      { name: 'Conduct (在校表现)', value: 'conduct' },
      { name: 'Grades (学习成绩)', value: 'grades' },
      { name: 'Incident (突发事件)', value: 'incident' },
      { name: 'Thinking and Mood (思想状况)', value: 'thinking' },
    ],
  }),
  show({ displayName: 'Summary (沟通摘要)', name: 'summary', type: 'string', typeOptions: { rows: 3 }, default: '', required: true }),
  show({ displayName: 'Parent Feedback (家长反馈意见)', name: 'parentFeedback', type: 'string', typeOptions: { rows: 3 }, default: '', required: true }),
];

/** B1/F2: records a contact with the family, including what the parents said. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const body: IDataObject = {};
  for (const name of ['student', 'guardianName', 'channel', 'topics', 'summary', 'parentFeedback']) body[name] = this.getNodeParameter(name, itemIndex);
  return (await apiRequest.call(this, 'POST', '/api/contacts', { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'contact-log') })) as IDataObject;
}
