import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';
import { AREA_OPTIONS, dateText, groupIdField, groupPath, text } from '../common.descriptions';

const show = (p: INodeProperties) => field('group', ['logActivity'], p);

export const description: INodeProperties[] = [
  groupIdField(['logActivity']),
  show({ displayName: 'At (时间)', name: 'at', type: 'dateTime', default: '', required: true, description: 'When it took place, read as Beijing time (Asia/Shanghai) unless it carries an offset' }),
  show({
    displayName: 'Kind (形式)',
    name: 'kind',
    type: 'options',
    default: 'meeting',
    options: [
      { name: 'Call or Video (电话/视频)', value: 'call' },
      { name: 'Group Activity (集体活动)', value: 'activity' },
      { name: 'Home Visit (家访)', value: 'homeVisit' },
      { name: 'Meeting (面谈)', value: 'meeting' },
      { name: 'Other (其他)', value: 'other' },
    ],
  }),
  show({ displayName: 'Areas (帮扶方面)', name: 'areas', type: 'multiOptions', default: [], required: true, options: AREA_OPTIONS, description: 'One to five areas of need the activity addressed' }),
  show({ displayName: 'Summary (帮扶记录)', name: 'summary', type: 'string', typeOptions: { rows: 4 }, default: '', required: true, description: 'What was done and said (up to 2,000 characters)' }),
  show({ displayName: 'Next Step (下一步)', name: 'nextStep', type: 'string', default: '' }),
];

/** C2: one entry in the group’s mentoring log (only while the group is active). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const body: IDataObject = {
    at: dateText(this.getNodeParameter('at', itemIndex)),
    kind: this.getNodeParameter('kind', itemIndex),
    areas: this.getNodeParameter('areas', itemIndex),
    summary: this.getNodeParameter('summary', itemIndex),
  };
  const nextStep = text(this, 'nextStep', itemIndex);
  if (nextStep) body.nextStep = nextStep;
  return (await apiRequest.call(this, 'POST', groupPath(this, itemIndex, '/activities'), { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'mentoring-activity') })) as IDataObject;
}
