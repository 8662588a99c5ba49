import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';

const show = (p: INodeProperties) => field('campaign', ['create'], p);

export const description: INodeProperties[] = [
  show({ displayName: 'Title (标题)', name: 'title', type: 'string', default: '', required: true, placeholder: '寒假家访' }),
  show({
    displayName: 'Break (假期)',
    name: 'break',
    type: 'options',
    default: 'winter',
    required: true,
    options: [
      { name: 'Summer Break (暑假)', value: 'summer' },
      { name: 'Winter Break (寒假)', value: 'winter' },
    ],
  }),
  show({ displayName: 'Visits Start On (家访开始日期)', name: 'visitStartsOn', type: 'dateTime', default: '', required: true, description: 'First day of the visit window (only the date is used)' }),
  show({ displayName: 'Visits End On (家访结束日期)', name: 'visitEndsOn', type: 'dateTime', default: '', required: true, description: 'Last day of the visit window (only the date is used)' }),
  show({
    displayName: 'Plan Due At (申报截止时间)',
    name: 'planDueAt',
    type: 'dateTime',
    default: '',
    required: true,
    description: 'When the colleges’ plans are due, read as Beijing time (Asia/Shanghai) unless it carries an offset, e.g. 2026-12-29 12:00',
  }),
  show({
    displayName: 'Additional Fields',
    name: 'additionalFields',
    type: 'collection',
    placeholder: 'Add Field',
    default: {},
    options: [
      { displayName: 'Academic Year (学年)', name: 'academicYear', type: 'string', default: '', placeholder: '2026-2027', description: 'Default: the academic year the visit window starts in' },
      {
        displayName: 'Approval Steps (审批顺序)',
        name: 'approvalSteps',
        type: 'options',
        default: 'collegeLeader,studentAffairs',
        options: [
          { name: 'College Leader, Then Student Affairs (学院领导→学工部)', value: 'collegeLeader,studentAffairs' },
          { name: 'College Leader Only (仅学院领导)', value: 'collegeLeader' },
          { name: 'Student Affairs Only (仅学工部)', value: 'studentAffairs' },
        ],
      },
      { displayName: 'Colleges (参与学院)', name: 'colleges', type: 'string', default: '', placeholder: 'JD, CK, XX', description: 'Comma-separated college codes or IDs; default: every college' },
      { displayName: 'Coverage Percent (家访比例 %)', name: 'coveragePercent', type: 'number', typeOptions: { minValue: 0.01, maxValue: 100, numberPrecision: 2 }, default: 1, description: 'Share of each college’s students to visit, in percent' },
      { displayName: 'Leader Visits Count (校领导家访计入比例)', name: 'leaderVisitsCount', type: 'boolean', default: true, description: 'Whether school-leader visits count towards the college’s coverage' },
      { displayName: 'Materials Due At (材料报送截止时间)', name: 'materialsDueAt', type: 'dateTime', default: '' },
      { displayName: 'Notice (通知正文)', name: 'notice', type: 'string', typeOptions: { rows: 6 }, default: '' },
      { displayName: 'Statistics Due At (统计表截止时间)', name: 'statisticsDueAt', type: 'dateTime', default: '', description: 'Default: the plan deadline' },
      { displayName: 'Theme (主题)', name: 'theme', type: 'string', default: '' },
    ],
  }),
];

/** `2027-01-15T00:00:00` (n8n's date picker) or `2027-01-15` → `2027-01-15`. */
function day(value: unknown): string {
  return String(value ?? '').trim().slice(0, 10);
}

/** n8n's picker writes `2026-12-29T12:00:00` (wall time, no offset): the service reads it as Beijing time. */
function deadline(value: unknown): string {
  return String(value ?? '').trim();
}

/** D1: a draft campaign of student affairs; open it to let the colleges file their plans. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
  const body: IDataObject = {
    title: this.getNodeParameter('title', itemIndex),
    break: this.getNodeParameter('break', itemIndex),
    visitStartsOn: day(this.getNodeParameter('visitStartsOn', itemIndex)),
    visitEndsOn: day(this.getNodeParameter('visitEndsOn', itemIndex)),
    planDueAt: deadline(this.getNodeParameter('planDueAt', itemIndex)),
  };
  for (const key of ['academicYear', 'notice', 'theme'] as const) if (extra[key]) body[key] = extra[key];
  for (const key of ['statisticsDueAt', 'materialsDueAt'] as const) if (extra[key]) body[key] = deadline(extra[key]);
  if (extra.colleges) body.colleges = String(extra.colleges).split(',').map((c) => c.trim()).filter(Boolean);
  if (extra.coveragePercent !== undefined) body.coveragePercent = extra.coveragePercent;
  if (extra.leaderVisitsCount !== undefined) body.leaderVisitsCount = extra.leaderVisitsCount;
  if (extra.approvalSteps) body.approvalSteps = String(extra.approvalSteps).split(',');
  return (await apiRequest.call(this, 'POST', '/api/visit-campaigns', { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'campaign-create') })) as IDataObject;
}
