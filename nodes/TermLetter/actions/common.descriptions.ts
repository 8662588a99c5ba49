import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../shared/fields';

/** The term-letter campaign an operation works on. */
export function campaignIdField(operations: string[]): INodeProperties {
  return field('campaign', operations, {
    displayName: 'Campaign ID (信件活动)',
    name: 'campaignId',
    type: 'string',
    default: '',
    required: true,
    description: 'The ID of the term-letter campaign (as answered by Campaign › Create or Get Many)',
  });
}

export function campaignPath(context: IExecuteFunctions, itemIndex: number, tail = ''): string {
  return `/api/letter-campaigns/${encodeURIComponent(String(context.getNodeParameter('campaignId', itemIndex)).trim())}${tail}`;
}

/** The feedback ticket an operation works on. */
export function ticketIdField(operations: string[]): INodeProperties {
  return field('feedback', operations, {
    displayName: 'Feedback ID (反馈编号)',
    name: 'ticketId',
    type: 'string',
    default: '',
    required: true,
    description: 'The ID of the feedback ticket (as in the feedback.received event or Feedback › Get Many)',
  });
}

export function ticketPath(context: IExecuteFunctions, itemIndex: number, tail = ''): string {
  return `/api/feedback-tickets/${encodeURIComponent(String(context.getNodeParameter('ticketId', itemIndex)).trim())}${tail}`;
}

/** SMS or e-mail: the channels a sender takes letters out for. */
export function sendChannelField(operations: string[]): INodeProperties {
  return field('campaign', operations, {
    displayName: 'Channel (渠道)',
    name: 'channel',
    type: 'options',
    default: 'sms',
    options: [
      { name: 'E-Mail (电子邮件)', value: 'email' },
      { name: 'SMS (短信)', value: 'sms' },
    ],
  });
}
