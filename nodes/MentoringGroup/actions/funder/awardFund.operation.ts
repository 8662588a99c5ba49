import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest, idempotencyKeyFor } from '../../../shared/transport';
import { dateText, studentIdField, text } from '../common.descriptions';

const show = (p: INodeProperties) => field('funder', ['awardFund'], p);

export const description: INodeProperties[] = [
  show({ displayName: 'Fund ID (资助项目)', name: 'fundId', type: 'string', default: '', required: true, description: 'As answered by Funder › Create Fund' }),
  studentIdField('funder', ['awardFund'], 'The archive ID of the student who receives the award'),
  show({ displayName: 'Amount (金额, 元)', name: 'amount', type: 'number', typeOptions: { minValue: 1, numberPrecision: 0 }, default: 1000, required: true }),
  show({ displayName: 'Date (发放日期)', name: 'date', type: 'dateTime', default: '', required: true }),
  show({ displayName: 'Reason (评定理由)', name: 'reason', type: 'string', default: '', required: true }),
  show({ displayName: 'Name Consent (同意向资助方公开姓名)', name: 'nameConsent', type: 'boolean', default: false, description: 'Whether the funder’s report may name the student' }),
];

/** E2: an award from a fund to a student; one that would pass the fund’s amount is refused (FUND_EXCEEDED). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const body: IDataObject = {
    student: text(this, 'student', itemIndex),
    amount: this.getNodeParameter('amount', itemIndex),
    date: dateText(this.getNodeParameter('date', itemIndex)).slice(0, 10),
    reason: text(this, 'reason', itemIndex),
    nameConsent: this.getNodeParameter('nameConsent', itemIndex),
  };
  const path = `/api/funds/${encodeURIComponent(text(this, 'fundId', itemIndex))}/awards`;
  return (await apiRequest.call(this, 'POST', path, { body, idempotencyKey: idempotencyKeyFor(this, itemIndex, 'fund-award') })) as IDataObject;
}
