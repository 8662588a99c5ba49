import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';
import { dateText, groupIdField, groupPath, text } from '../common.descriptions';

const show = (p: INodeProperties) => field('group', ['close'], p);

export const description: INodeProperties[] = [
  groupIdField(['close']),
  show({
    displayName: 'Outcome (帮扶结果)',
    name: 'outcome',
    type: 'options',
    default: 'employed',
    options: [
      { name: 'Employed (已就业)', value: 'employed' },
      { name: 'Further Study (升学)', value: 'furtherStudy' },
      { name: 'Other (其他)', value: 'other' },
      { name: 'Transferred (转学)', value: 'transferred' },
      { name: 'Withdrawn (退学)', value: 'withdrawn' },
    ],
  }),
  show({ displayName: 'Employer (就业单位)', name: 'employer', type: 'string', default: '', description: 'Required when employed' }),
  show({ displayName: 'Date (日期)', name: 'date', type: 'dateTime', default: '', description: 'When the student took up the job (required when employed)' }),
  show({ displayName: 'Reason (原因)', name: 'reason', type: 'string', default: '', description: 'Required for Other' }),
  show({ displayName: 'Note (备注)', name: 'note', type: 'string', default: '' }),
];

/** C2: the group ends with the mentee’s outcome; its log stays readable (emits mentoring.closed). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const outcome: IDataObject = { kind: this.getNodeParameter('outcome', itemIndex) };
  for (const name of ['employer', 'reason', 'note']) {
    const value = text(this, name, itemIndex);
    if (value) outcome[name] = value;
  }
  const date = dateText(this.getNodeParameter('date', itemIndex, ''));
  if (date) outcome.date = date.slice(0, 10);
  return (await apiRequest.call(this, 'POST', groupPath(this, itemIndex, '/close'), { body: { outcome } })) as IDataObject;
}
