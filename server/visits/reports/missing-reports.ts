import type { Types } from 'mongoose';
import { calendarDate, formatCalendarDate } from '../../calendar/academic-calendar';
import { collegeDirectory } from '../../colleges/colleges.service';
import { problems } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { assertCan, mayReadRecord } from '../../identity/policy';
import { staffContacts, type StaffContact } from '../../identity/staff-directory';
import { field } from '../campaign-errors';
import type { CampaignRecord, CampaignsService } from '../campaigns.service';
import { presentEntry } from '../plan-entries';
import { VisitPlanModel, planId, type PlanEntry } from '../visit-plan.model';
import { REPORT_STATE_ZH, type ReportState } from './report-vocabulary';
import { VisitReportModel, plannedReportId } from './visit-report.model';

/** Open campaigns looked at when none is named, and visits listed at most (`truncated` says when more were due). */
const OPEN_CAMPAIGNS = 20;
export const MISSING_LIMIT = 1000;

export interface MissingQuery {
  campaign?: string;
  college?: string;
  /** Days after its planned day (or the end of the visit window) before a visit counts as missing its report. */
  graceDays?: number;
}

export interface MissingOptions {
  /** Also the visits whose report is not due yet (a visitor's tasks); `daysOverdue` is then negative for those. */
  upcoming?: boolean;
  /** Only the visits naming the actor among their visitors. */
  mine?: boolean;
}

interface DueVisit {
  campaign: CampaignRecord;
  college: Types.ObjectId;
  entry: PlanEntry;
  reportId: string;
  dueOn: Date;
}

const DAY_MS = 86_400_000;


/**
 * D6: the approved visits whose report is missing — no report, or one not submitted — `graceDays` after
 * their planned day (the last day of the visit window when none was planned), as of today in
 * Asia/Shanghai. For reminders: each visit with its visitors, and the same visits by visitor with the
 * visitor's e-mail. One read by `_id` per approved plan, one `_id` lookup of the reports; bounded.
 */
export async function missingReports(actor: Actor, campaigns: CampaignsService, query: MissingQuery, defaultGraceDays: number, now: Date = new Date(), options: MissingOptions = {}) {
  assertCan(actor, 'visits:read');
  const graceDays = query.graceDays ?? defaultGraceDays;
  const chosen = query.campaign ? [await campaigns.find(actor, query.campaign)] : await campaigns.openNow(OPEN_CAMPAIGNS);
  const directory = await collegeDirectory();
  let onlyCollege: Types.ObjectId | undefined;
  if (query.college !== undefined) {
    const college = directory.get(query.college);
    if (!college) throw problems.badRequest(`Unknown college "${query.college}"`, `学院“${query.college}”不存在`, [field('college', `学院“${query.college}”不存在`, `no college "${query.college}"`, 'exists')]);
    onlyCollege = college._id;
  }
  const lastDueDay = new Date(calendarDate(now)!.getTime() - (graceDays + 1) * DAY_MS);

  const due: DueVisit[] = [];
  for (const campaign of chosen) {
    const colleges = campaign.colleges.filter((c) => (!onlyCollege || c.equals(onlyCollege)) && mayReadRecord(actor, 'visitPlan', { college: c }));
    if (!colleges.length) continue;
    const plans = await VisitPlanModel.find({ _id: { $in: colleges.map((c) => planId(campaign._id, c)) } }).select('college approved.entries').lean();
    for (const plan of plans) {
      for (const entry of plan.approved?.entries ?? []) {
        const dueOn = entry.plannedOn ?? campaign.visitEndsOn;
        if (options.mine && !entry.visitors.some((v) => !!v.user && v.user.equals(actor.userId))) continue;
        if (options.upcoming || dueOn <= lastDueDay) due.push({ campaign, college: plan.college, entry, reportId: plannedReportId(campaign._id, plan.college, entry.id), dueOn });
      }
    }
  }
  const states = new Map<string, ReportState>();
  if (due.length) {
    const reports = await VisitReportModel.find({ _id: { $in: due.map((d) => d.reportId) } }).select('state').lean();
    for (const r of reports) states.set(r._id as string, r.state as ReportState);
  }
  const missing = due
    .filter((d) => states.get(d.reportId) !== 'submitted')
    .sort((a, b) => a.dueOn.getTime() - b.dueOn.getTime() || a.entry.studentNo.localeCompare(b.entry.studentNo));
  const shown = missing.slice(0, MISSING_LIMIT);
  const contacts = await staffContacts(shown.flatMap((d) => d.entry.visitors.map((v) => v.user)));
  const today = calendarDate(now)!;

  const items = shown.map((d) => {
    const state = states.get(d.reportId);
    const college = directory.get(String(d.college));
    const entry = presentEntry(d.entry);
    return {
      reportId: d.reportId,
      campaign: { id: String(d.campaign._id), title: d.campaign.title },
      college: { id: String(d.college), code: college?.code ?? null, name: college?.name ?? null },
      ...entry,
      visitors: entry.visitors.map((v) => ({ ...v, email: (v.user && contacts.get(v.user)?.email) || null })),
      dueOn: formatCalendarDate(d.dueOn),
      daysOverdue: Math.round((today.getTime() - d.dueOn.getTime()) / DAY_MS),
      reportState: state ?? 'none',
      reportStateZh: state ? REPORT_STATE_ZH[state] : '未填写',
    };
  });
  return { graceDays, asOf: formatCalendarDate(today), total: missing.length, truncated: missing.length > shown.length, items, byVisitor: byVisitor(items, contacts) };
}

type MissingItem = {
  reportId: string;
  campaign: { id: string; title: string };
  studentNo: string;
  studentName: string;
  modeZh: string;
  dueOn: string;
  daysOverdue: number;
  reportState: string;
  visitors: Array<{ user: string | null }>;
};

/** The missing visits of each visitor who has an account (visitors named only by name cannot be reminded). */
function byVisitor(items: MissingItem[], contacts: Map<string, StaffContact>) {
  const grouped = new Map<string, { visitor: StaffContact; visits: Array<Pick<MissingItem, 'reportId' | 'studentNo' | 'studentName' | 'modeZh' | 'dueOn' | 'daysOverdue' | 'reportState'> & { campaignTitle: string }> }>();
  for (const item of items) {
    for (const v of item.visitors) {
      const visitor = v.user ? contacts.get(v.user) : undefined;
      if (!visitor) continue;
      const group = grouped.get(visitor.id) ?? { visitor, visits: [] };
      group.visits.push({ reportId: item.reportId, campaignTitle: item.campaign.title, studentNo: item.studentNo, studentName: item.studentName, modeZh: item.modeZh, dueOn: item.dueOn, daysOverdue: item.daysOverdue, reportState: item.reportState });
      grouped.set(visitor.id, group);
    }
  }
  return [...grouped.values()].sort((a, b) => a.visitor.username.localeCompare(b.visitor.username));
}
