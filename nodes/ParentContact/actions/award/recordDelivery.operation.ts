import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';
import { awardIdField } from './getLetter.operation';

export const description: INodeProperties[] = [
  awardIdField(['recordDelivery']),
  field('award', ['recordDelivery'], {
    displayName: 'Channel (送达方式)',
    name: 'channel',
    type: 'options',
    default: 'online',
    options: [
      { name: 'Hand Delivered (当面送达)', value: 'handDelivered' },
      { name: 'Online (网络平台)', value: 'online' },
      { name: 'Post (邮寄)', value: 'post' },
      { name: 'Print (打印)', value: 'print' },
      { name: 'SMS (短信)', value: 'sms' },
    ],
  }),
  field('award', ['recordDelivery'], { displayName: 'Note (备注)', name: 'note', type: 'string', default: '' }),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const awardId = this.getNodeParameter('awardId', itemIndex) as string;
  const body = { channel: this.getNodeParameter('channel', itemIndex), note: this.getNodeParameter('note', itemIndex, '') } as IDataObject;
  return (await apiRequest.call(this, 'POST', `/api/awards/${encodeURIComponent(awardId)}/letter/deliveries`, { body })) as IDataObject;
}
