import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';

const show = (p: INodeProperties) => field('campaign', ['create'], p);

export const description: INodeProperties[] = [
  show({ displayName: 'Title (标题)', name: 'title', type: 'string', default: '', required: true, placeholder: '2026 秋季学期致家长的一封信' }),
  show({
    displayName: 'Term (学期)',
    name: 'term',
    type: 'options',
    default: 'autumn',
    required: true,
    options: [
      { name: 'Autumn Term (秋季学期)', value: 'autumn' },
      { name: 'Spring Term (春季学期)', value: 'spring' },
    ],
  }),
  show({ displayName: 'Letter (信件正文)', name: 'html', type: 'string', typeOptions: { rows: 8 }, default: '', required: true, description: 'The letter as HTML: paragraphs, headings, lists, tables and pictures uploaded to the service' }),
  show({
    displayName: 'Feedback Due At (反馈截止时间)',
    name: 'feedbackDueAt',
    type: 'dateTime',
    default: '',
    required: true,
    description: 'Until when parents can answer, read as Beijing time (Asia/Shanghai) unless it carries an offset',
  }),
  show({
    displayName: 'Additional Fields',
    name: 'additionalFields',
    type: 'collection',
    placeholder: 'Add Field',
    default: {},
    options: [
      { displayName: 'Academic Year (学年)', name: 'academicYear', type: 'string', default: '', placeholder: '2026-2027' },
      {
        displayName: 'Channels (发送渠道)',
        name: 'channels',
        type: 'multiOptions',
        default: [],
        options: [
          { name: 'E-Mail (电子邮件)', value: 'email' },
          { name: 'Print (纸质信)', value: 'print' },
          { name: 'SMS (短信)', value: 'sms' },
        ],
        description: 'In order of preference; a family without a phone or e-mail gets a printed letter',
      },
      { displayName: 'Colleges (学院)', name: 'colleges', type: 'string', default: '', placeholder: 'JD, CK', description: 'Comma-separated college codes or IDs; default: every college' },
      { displayName: 'Grades (年级)', name: 'grades', type: 'string', default: '', placeholder: '2024, 2025', description: 'Comma-separated grades; default: every grade' },
      { displayName: 'Reminder After Days (未读提醒天数)', name: 'reminderAfterDays', type: 'number', typeOptions: { minValue: 0, maxValue: 60 }, default: 3, description: 'Days after sending before a family that has not opened the letter is reminded' },
      { displayName: 'Response Days (回应期限)', name: 'responseDays', type: 'number', typeOptions: { minValue: 1, maxValue: 60 }, default: 5, description: 'Working days an owner has to respond to a feedback' },
      { displayName: 'Send At (发送时间)', name: 'sendAt', type: 'dateTime', default: '', description: 'When sending starts; default: at launch' },
      { displayName: 'Template Campaign ID (沿用往期信件)', name: 'template', type: 'string', default: '', description: 'An earlier campaign whose letter and channels to start from' },
    ],
  }),
];

const list = (value: unknown): string[] => String(value ?? '').split(',').map((v) => v.trim()).filter(Boolean);

/** B6 §1: a draft letter of student affairs; launch it to make one letter per family. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
  const body: IDataObject = {
    title: this.getNodeParameter('title', itemIndex),
    term: this.getNodeParameter('term', itemIndex),
    html: this.getNodeParameter('html', itemIndex),
    feedbackDueAt: String(this.getNodeParameter('feedbackDueAt', itemIndex) ?? '').trim(),
  };
  for (const key of ['academicYear', 'template'] as const) if (extra[key]) body[key] = extra[key];
  if (extra.sendAt) body.sendAt = String(extra.sendAt).trim();
  for (const key of ['responseDays', 'reminderAfterDays'] as const) if (extra[key] !== undefined && extra[key] !== '') body[key] = extra[key];
  if (Array.isArray(extra.channels) && extra.channels.length) body.channels = extra.channels;
  const audience: IDataObject = {};
  if (extra.colleges) audience.colleges = list(extra.colleges);
  if (extra.grades) audience.grades = list(extra.grades);
  if (Object.keys(audience).length) body.audience = audience;
  return (await apiRequest.call(this, 'POST', '/api/letter-campaigns', { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'letter-create') })) as IDataObject;
}
