import { registerSubmissionHandler } from '../forms/submission-handlers';
import { problems, type FieldProblem } from '../http/problem';
import { assertCan } from '../identity/policy';
import type { AidTeamService } from './aid-team/aid-team.service';
import type { FundersService } from './funders/funders.service';
import { AID_ACTIVITY_KINDS, type AidActivityKind } from './support-vocabulary';

/** A Form.io date (`2026-09-01`, or a date-time whose day is taken) → `YYYY-MM-DD`, or undefined. */
function dayOf(value: unknown): string | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(text);
  return match && !Number.isNaN(new Date(`${match[1]}T00:00:00Z`).getTime()) ? match[1] : undefined;
}

const str = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** The aid-team activity form logs the activity (E1); the fund-award form makes the award (E2). */
export function registerSupportForms(aidTeam: AidTeamService, funders: FundersService): void {
  registerSubmissionHandler(
    'aidTeamActivity',
    async (actor, data, submissionId) => {
      assertCan(actor, 'aidTeam:manage');
      const found: FieldProblem[] = [];
      const kind = str(data.kind) as AidActivityKind;
      if (!AID_ACTIVITY_KINDS.includes(kind)) found.push({ path: 'kind', message: '活动类型无效', messageEn: 'kind is not an aid-team activity kind', rule: 'enum' });
      const date = dayOf(data.date);
      if (!date) found.push({ path: 'date', message: '活动日期无效', messageEn: 'date is not a valid date', rule: 'date' });
      const rows = Array.isArray(data.participants) ? (data.participants as Record<string, unknown>[]) : [];
      if (!rows.length) found.push({ path: 'participants', message: '至少登记一名参加队员', messageEn: 'at least one participant', rule: 'required' });
      const participants = rows.map((row, i) => {
        const hours = typeof row.hours === 'number' ? row.hours : Number.NaN;
        if (!(hours >= 0.5 && hours <= 24)) found.push({ path: `participants[${i}].hours`, message: '服务时长应为 0.5 至 24 小时', messageEn: 'hours must be 0.5 to 24', rule: 'range' });
        return { member: str(row.member), hours };
      });
      if (found.length) throw problems.validation(found);
      const activity = await aidTeam.logActivity(actor, { kind, title: str(data.title), date: date!, place: str(data.place) || undefined, participants }, submissionId);
      return { type: 'aidTeamActivity', id: activity.id };
    },
    { discard: (id) => aidTeam.discardActivity(id) },
  );
  registerSubmissionHandler(
    'fundAward',
    async (actor, data, submissionId) => {
      assertCan(actor, 'funders:manage');
      const found: FieldProblem[] = [];
      const amount = typeof data.amount === 'number' ? data.amount : Number.NaN;
      if (!Number.isInteger(amount) || amount < 1) found.push({ path: 'amount', message: '资助金额应为不小于 1 的整数（元）', messageEn: 'amount must be a whole number of yuan, at least 1', rule: 'integer' });
      const date = dayOf(data.date);
      if (!date) found.push({ path: 'date', message: '发放日期无效', messageEn: 'date is not a valid date', rule: 'date' });
      if (found.length) throw problems.validation(found);
      const award = await funders.award(actor, str(data.fund), { student: str(data.studentNo), amount, date: date!, reason: str(data.reason), nameConsent: data.nameConsent === true }, submissionId);
      return { type: 'fundAward', id: award.id };
    },
    { fieldPaths: { student: 'studentNo' } },
  );
}
