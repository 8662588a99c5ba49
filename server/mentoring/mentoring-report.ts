import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { ZONE } from '../calendar/academic-calendar';
import { collegeDirectory } from '../colleges/colleges.service';
import { problems } from '../http/problem';
import type { Actor } from '../identity/actor';
import { can, isCollegeScoped } from '../identity/policy';
import { MentoringActivityModel, MentoringGroupModel } from './mentoring-group.model';
import { OUTCOMES, type Outcome } from './mentoring-vocabulary';

type Grouped<K> = { _id: K; n: number };

interface Row {
  college: string;
  collegeName: string | null;
  proposed: number;
  active: number;
  formed: number;
  closed: number;
  outcomes: Record<Outcome, number>;
  activities: number;
  inactive: number;
}

/**
 * The monthly figures for student affairs (C1–C2), per college: groups proposed, formed (approved) and
 * closed in the period with their outcomes, activities logged in it, and now active and silent. Each figure
 * is one `$match` + `$group` by college over the whole school (no query per college), the part of the
 * aggregation language every supported engine runs.
 */
export async function mentoringReport(actor: Actor, range: { from?: string; to?: string }, inactiveWeeks: number, now: Date = new Date()) {
  if (!can(actor, 'support:read') && !can(actor, 'mentoring:approve')) throw problems.forbidden('The mentoring report is for those who read student support or approve groups', '帮扶工作月报仅供学生资助与帮扶的查看者和审批人查看');
  const today = DateTime.fromJSDate(now).setZone(ZONE);
  const from = range.from ? DateTime.fromISO(range.from, { zone: ZONE }).startOf('day') : today.startOf('month');
  const toDay = range.to ? DateTime.fromISO(range.to, { zone: ZONE }).startOf('day') : today.endOf('month').startOf('day');
  if (!from.isValid || !toDay.isValid || toDay < from) throw problems.validation([{ path: 'to', message: '结束日期须不早于开始日期', messageEn: 'to must not be before from', rule: 'range' }]);
  const start = from.toJSDate();
  const end = toDay.plus({ days: 1 }).toJSDate();
  const scope: Record<string, unknown> = isCollegeScoped(actor) ? { college: actor.college } : {};
  const within = (field: string) => ({ ...scope, [field]: { $gte: start, $lt: end } });
  const byCollege = { $group: { _id: '$college', n: { $sum: 1 } } };
  const silentSince = new Date(now.getTime() - inactiveWeeks * 7 * 86_400_000);
  const [proposed, formed, closed, current, activities, inactive, directory] = await Promise.all([
    MentoringGroupModel.aggregate<Grouped<Types.ObjectId>>([{ $match: within('proposedAt') }, byCollege]),
    MentoringGroupModel.aggregate<Grouped<Types.ObjectId>>([{ $match: within('approvedAt') }, byCollege]),
    MentoringGroupModel.aggregate<Grouped<{ college: Types.ObjectId; kind: Outcome }>>([{ $match: { ...within('closedAt'), state: 'closed' } }, { $group: { _id: { college: '$college', kind: '$outcome.kind' }, n: { $sum: 1 } } }]),
    MentoringGroupModel.aggregate<Grouped<Types.ObjectId>>([{ $match: { ...scope, state: 'active' } }, byCollege]),
    MentoringActivityModel.aggregate<Grouped<Types.ObjectId>>([{ $match: within('at') }, byCollege]),
    MentoringGroupModel.aggregate<Grouped<Types.ObjectId>>([{ $match: { ...scope, state: 'active', lastActivityAt: { $lt: silentSince } } }, byCollege]),
    collegeDirectory(),
  ]);
  const rows = new Map<string, Row>();
  const row = (college: Types.ObjectId) => {
    const key = String(college);
    let found = rows.get(key);
    if (!found) {
      found = { college: key, collegeName: directory.get(key)?.name ?? null, proposed: 0, active: 0, formed: 0, closed: 0, outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>, activities: 0, inactive: 0 };
      rows.set(key, found);
    }
    return found;
  };
  for (const g of proposed) row(g._id).proposed += g.n;
  for (const g of formed) row(g._id).formed += g.n;
  for (const g of current) row(g._id).active += g.n;
  for (const g of activities) row(g._id).activities += g.n;
  for (const g of inactive) row(g._id).inactive += g.n;
  for (const g of closed) {
    const r = row(g._id.college);
    r.closed += g.n;
    if (g._id.kind in r.outcomes) r.outcomes[g._id.kind] += g.n;
  }
  const colleges = [...rows.values()].sort((a, b) => (a.collegeName ?? a.college).localeCompare(b.collegeName ?? b.college, 'zh-CN'));
  const totals = colleges.reduce(
    (t, r) => {
      for (const k of ['proposed', 'active', 'formed', 'closed', 'activities', 'inactive'] as const) t[k] += r[k];
      for (const o of OUTCOMES) t.outcomes[o] += r.outcomes[o];
      return t;
    },
    { proposed: 0, active: 0, formed: 0, closed: 0, outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>, activities: 0, inactive: 0 },
  );
  return { from: from.toISODate(), to: toDay.toISODate(), inactiveWeeks, colleges, totals };
}
