import { registerSubmissionHandler } from '../forms/submission-handlers';
import { parseInput } from '../http/contract/parse-input';
import { ApiError, problems, type FieldProblem } from '../http/problem';
import type { PlansService } from './plans.service';
import { planBody, visitLabels } from './visits.schemas';

export const VISIT_APPLICATION_PATH = 'visitApplication';

type Row = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** A Form.io datetime value (`2027-01-18T00:00:00+08:00`) or a plain day → `2027-01-18`, the day as the user picked it. */
function dayOf(value: unknown): string | undefined {
  const text = str(value);
  return text && /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : text;
}

function staffRefs(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value];
  return list.map((v) => (v && typeof v === 'object' ? str((v as Row).id) ?? str((v as Row).username) : str(v))).filter((v): v is string => !!v);
}

/**
 * The form's data as the body of `PUT /api/visit-campaigns/:id/plans/:college`: each row's visitors
 * (staff ids or usernames), plus the school leader when the row is a school-leader visit.
 */
export function planInputOf(data: Row) {
  const rows = Array.isArray(data.entries) ? (data.entries as Row[]) : [];
  const visitorCounts: number[] = [];
  const missingLeaders: FieldProblem[] = [];
  const entries = rows.map((row, i) => {
    const staff = staffRefs(row.visitors);
    visitorCounts.push(staff.length);
    const leader = row.leaderVisit === true ? str(row.leader) : undefined;
    if (row.leaderVisit === true && !leader) missingLeaders.push({ path: `entries[${i}].leader`, message: '校领导家访须选择校领导', messageEn: 'a school-leader visit names the school leader', rule: 'required' });
    const visitors = [...staff.map((user) => ({ user })), ...(leader ? [{ user: leader, role: 'schoolLeader' }] : [])];
    const entry: Row = { student: str(row.student) ?? '', mode: row.mode, kind: row.kind, visitors };
    if (str(row.entryId)) entry.id = str(row.entryId);
    if (str(row.targetType)) entry.targetType = row.targetType;
    const plannedOn = dayOf(row.plannedOn);
    if (plannedOn) entry.plannedOn = plannedOn;
    if (str(row.note)) entry.note = row.note;
    return entry;
  });
  const given = (data.implementation && typeof data.implementation === 'object' ? data.implementation : {}) as Row;
  const implementation = Object.fromEntries(['organization', 'schedule', 'safety', 'other'].map((key) => [key, typeof given[key] === 'string' ? given[key] : '']));
  return { body: { entries, implementation }, visitorCounts, missingLeaders };
}

/**
 * The service's paths → the form's components: `entries[2].visitors[1].user` is the row's visitors
 * select, or its school-leader select when it is the leader appended after the staff; `entries[2].id`
 * is the hidden `entryId`.
 */
function toFormPath(path: string, visitorCounts: number[]): string {
  const visitor = /^entries\[(\d+)\]\.visitors(?:\[(\d+)\](?:\.\w+)?)?$/.exec(path);
  if (visitor) {
    const row = Number(visitor[1]);
    const k = visitor[2] === undefined ? undefined : Number(visitor[2]);
    return `entries[${row}].${k !== undefined && k >= (visitorCounts[row] ?? 0) ? 'leader' : 'visitors'}`;
  }
  return path.replace(/^(entries\[\d+\])\.id$/, '$1.entryId');
}

/** A refusal without field details (plan under approval, campaign closed, not this college's) still reaches the form as a message. */
function asFormProblem(error: ApiError): FieldProblem {
  const path = error.status === 403 || error.status === 404 ? 'college' : 'campaign';
  return { path, message: error.messageZh, messageEn: error.messageEn, rule: error.code };
}

/**
 * The visit-application form (附件1) files the college's plan through the plans service — the same code
 * and rules as the REST routes. "保存草稿" (Form.io state `draft`) saves the plan as a draft (the PUT);
 * "提交审批" saves and submits it for approval (the PUT, then POST …/submit), every check made before
 * anything is written. Coverage, duplicate students and students of other colleges come back as
 * Form.io validation details on the data grid (`entries`, `entries[3].student`).
 *
 * The plan is the college's one record per campaign (`<campaign>:<college>`), not a record per
 * submission: the submission keeps what was sent and links to the plan; a refused filing stores neither.
 */
export function registerVisitApplicationForm(plans: PlansService): void {
  registerSubmissionHandler(VISIT_APPLICATION_PATH, async (actor, data, _submissionId, { state }) => {
    const campaign = str(data.campaign) ?? '';
    const college = str(data.college) ?? '';
    const { body, visitorCounts, missingLeaders } = planInputOf(data);
    try {
      // The school-leader flag is the form's way of naming the leader among the visitors (the service derives it from their roles).
      if (missingLeaders.length) throw problems.validation(missingLeaders);
      if (!/^[0-9a-f]{24}$/.test(campaign)) throw problems.validation([{ path: 'campaign', message: '请从家访计划页面填报（缺少家访活动）', messageEn: 'open the form from the plan page (no campaign)', rule: 'exists' }]);
      const input = parseInput(planBody, body, 'body', visitLabels);
      const { plan } = await plans.file(actor, campaign, college, input, state === 'submitted');
      return { type: 'visitPlan', id: plan.id };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      const details = error.details.length ? error.details.map((d) => ({ ...d, path: toFormPath(d.path, visitorCounts) })) : [asFormProblem(error)];
      throw problems.validation(details);
    }
  });
}
