import type { Types } from 'mongoose';
import { formatCalendarDate } from '../../calendar/academic-calendar';
import { collegeDirectory, type CollegeRef } from '../../colleges/colleges.service';
import { collegeLeadersOf, staffWithRole } from '../../identity/staff-directory';
import type { StudentsService } from '../../students/students.service';
import type { CampaignRecord } from '../campaigns.service';
import { percentText, requiredVisits } from '../coverage';
import { formatDeadline } from '../deadlines';
import { VisitReportModel } from '../reports/visit-report.model';
import { VisitPlanModel, planId, type PlanEntry } from '../visit-plan.model';
import { BREAK_ZH, PLAN_STATE_ZH, TARGET_TYPE_ZH, VISIT_KIND_ZH, VISIT_MODE_ZH, VISITOR_ROLE_ZH, type PlanState } from '../visit-vocabulary';
import { tallyBy, tallyOf, type CountedReport, type VisitCounts } from './visit-tally';

/** Where enrolment comes from: the students module's kept counts (one aggregation a minute at most). */
export type Enrolment = Pick<StudentsService, 'countByGradeAndMajor' | 'countByCollege'>;

/** Reports read per query: one page holds a large college's visits; more are read page by page on `_id`. */
const PAGE = 5_000;

/** The fields the figures need: the visit's facts as the report copied them, nothing of its content. */
const FIELDS = '_id college student grade major mode kind targetType visitors leaderVisit unplanned entryId version';

type ReportRow = CountedReport & { _id: string; college: Types.ObjectId; entryId: string | null; version: number };

/**
 * The reports of a campaign (or of one college of it), in pages on `_id`: an equality on the indexed
 * `campaign` (+ `college`), only the fields above. Drafts come too: they tell "planned but not visited"
 * whether its report was started.
 */
async function reportsOf(filter: { campaign: Types.ObjectId; college?: Types.ObjectId }): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  let after: string | undefined;
  for (;;) {
    const page = (await VisitReportModel.find(after === undefined ? filter : { ...filter, _id: { $gt: after } }).select(FIELDS).sort({ _id: 1 }).limit(PAGE).lean()) as unknown as ReportRow[];
    rows.push(...page);
    if (page.length < PAGE) return rows;
    after = page[page.length - 1]!._id;
  }
}

/** A report counts once it has been submitted; a submitted report being amended (a draft of version n+1) still counts. */
const submitted = (r: ReportRow) => r.version >= 1;

/** Distinct students visited, and those of them that count towards coverage (school-leader visits only when the campaign says so). */
function coverageOf(reports: readonly ReportRow[], enrolled: number, campaign: CampaignRecord) {
  const required = requiredVisits(enrolled, campaign.coverageBasisPoints);
  const visited = new Set(reports.map((r) => String(r.student))).size;
  const counted = new Set(reports.filter((r) => campaign.leaderVisitsCount || !r.leaderVisit).map((r) => String(r.student))).size;
  const percent = percentText(campaign.coverageBasisPoints);
  const met = counted >= required;
  return {
    enrolled,
    basisPoints: campaign.coverageBasisPoints,
    percent,
    required,
    visited,
    counted,
    leaderVisitsCount: campaign.leaderVisitsCount,
    met,
    message: `已家访 ${counted} 人，需至少 ${required} 人（${enrolled.toLocaleString('en-US')} × ${percent}）${met ? '，已达到' : '，尚未达到'}`,
    messageEn: `${counted} students visited of at least ${required} (${enrolled.toLocaleString('en-US')} × ${percent}): ${met ? 'goal met' : 'goal not met yet'}`,
  };
}

/** The approved plan's entries against the reports: visited (a submitted report), or not (no report, or a draft only). */
function plannedAgainst(entries: readonly PlanEntry[], reports: readonly ReportRow[]) {
  const visited = new Set(reports.filter((r) => submitted(r) && r.entryId).map((r) => r.entryId!));
  const drafted = new Set(reports.filter((r) => !submitted(r) && r.entryId).map((r) => r.entryId!));
  const notVisited = entries.filter((e) => !visited.has(e.id));
  return {
    counts: { entries: entries.length, visited: entries.length - notVisited.length, notVisited: notVisited.length },
    notVisited: notVisited
      .map((e) => ({
        entryId: e.id,
        studentNo: e.studentNo,
        studentName: e.studentName,
        grade: e.grade,
        major: e.major,
        className: e.className ?? '',
        mode: e.mode,
        modeZh: VISIT_MODE_ZH[e.mode],
        kind: e.kind,
        targetType: e.targetType,
        plannedOn: e.plannedOn ? formatCalendarDate(e.plannedOn) : null,
        visitors: e.visitors.map((v) => ({ name: v.name, role: v.role, roleZh: VISITOR_ROLE_ZH[v.role] })),
        leaderVisit: e.leaderVisit,
        report: drafted.has(e.id) ? ('draft' as const) : ('none' as const),
        reportZh: drafted.has(e.id) ? '报告草稿未提交' : '未填写报告',
      }))
      .sort((a, b) => a.studentNo.localeCompare(b.studentNo)),
  };
}

function campaignSummary(c: CampaignRecord) {
  return {
    id: String(c._id),
    title: c.title,
    academicYear: c.academicYear,
    break: c.break,
    breakZh: BREAK_ZH[c.break],
    state: c.state,
    visitStartsOn: formatCalendarDate(c.visitStartsOn),
    visitEndsOn: formatCalendarDate(c.visitEndsOn),
    statisticsDueAt: c.statisticsDueAt,
    statisticsDueText: formatDeadline(c.statisticsDueAt),
  };
}

/** The Chinese words of every key the figures are counted by, for pages, sheets and n8n. */
export const STATISTICS_VOCABULARY = { mode: VISIT_MODE_ZH, kind: VISIT_KIND_ZH, targetType: TARGET_TYPE_ZH, visitorRole: VISITOR_ROLE_ZH };

const planOf = (plan: { state: string; approved?: unknown } | null) => ({
  state: (plan?.state ?? 'none') as PlanState | 'none',
  stateZh: plan ? PLAN_STATE_ZH[plan.state as PlanState] : '未填报',
  approved: !!plan?.approved,
});

/**
 * D10, 附件2: one college's visit statistics for a campaign, from the records — the submitted reports
 * (one bounded pass over the college's reports, only the visit's facts), the approved plan (one read by
 * `_id`) and enrolment per grade and major (the kept counts). No actor: callers check scope.
 */
export async function collegeVisitStatistics(enrolment: Enrolment, campaign: CampaignRecord, college: CollegeRef, now: Date = new Date()) {
  const [reports, plan, groups] = await Promise.all([
    reportsOf({ campaign: campaign._id, college: college._id }),
    VisitPlanModel.findById(planId(campaign._id, college._id)).select('state approved').lean(),
    enrolment.countByGradeAndMajor(college._id),
  ]);
  const visits = reports.filter(submitted);
  const sum = (key: (g: { grade: string; major: string }) => string) => {
    const totals = new Map<string, number>();
    for (const g of groups) totals.set(key(g), (totals.get(key(g)) ?? 0) + g.count);
    return totals;
  };
  const gradeMajor = (g: { grade: string; major: string }) => `${g.grade}\t${g.major}`;
  const enrolled = groups.reduce((total, g) => total + g.count, 0);
  const planned = plannedAgainst(plan?.approved?.entries ?? [], reports);
  return {
    campaign: campaignSummary(campaign),
    college: { id: String(college._id), code: college.code, name: college.name },
    computedAt: now,
    plan: planOf(plan),
    coverage: coverageOf(visits, enrolled, campaign),
    totals: tallyOf(visits),
    /** The rows of the 附件2 table: every grade and major of the college's students, and any seen only in reports. */
    rows: tallyBy(visits, gradeMajor, sum(gradeMajor)).map(({ key, ...counts }) => ({ grade: key.split('\t')[0]!, major: key.split('\t')[1]!, ...counts })),
    byGrade: tallyBy(visits, (r) => r.grade, sum((g) => g.grade)).map(({ key, ...counts }) => ({ grade: key, ...counts })),
    byMajor: tallyBy(visits, (r) => r.major, sum((g) => g.major)).map(({ key, ...counts }) => ({ major: key, ...counts })),
    planned: planned.counts,
    plannedNotVisited: planned.notVisited,
    /** Reports started and never submitted: not visits (yet). */
    drafts: reports.length - visits.length,
    vocabulary: STATISTICS_VOCABULARY,
  };
}

export type CollegeVisitStatistics = Awaited<ReturnType<typeof collegeVisitStatistics>>;

/**
 * D10: the school roll-up for student affairs — one row per college of the campaign and the total. One
 * bounded pass over the campaign's reports, each college's plan by `_id`, enrolment per college (kept counts).
 */
export async function schoolVisitStatistics(enrolment: Enrolment, campaign: CampaignRecord, now: Date = new Date()) {
  const colleges = campaign.colleges;
  const [reports, plans, enrolled, directory, leaders, studentAffairs] = await Promise.all([
    reportsOf({ campaign: campaign._id }),
    Promise.all(colleges.map((c) => VisitPlanModel.findById(planId(campaign._id, c)).select('state approved').lean())),
    enrolment.countByCollege([...colleges]),
    collegeDirectory(),
    collegeLeadersOf([...colleges]),
    staffWithRole('studentAffairs'),
  ]);
  const byCollege = new Map<string, ReportRow[]>(colleges.map((c) => [String(c), []]));
  for (const report of reports) byCollege.get(String(report.college))?.push(report);
  const rows = colleges.map((college, i) => {
    const own = byCollege.get(String(college))!;
    const visits = own.filter(submitted);
    const ref = directory.get(String(college));
    const coverage = coverageOf(visits, enrolled.get(String(college)) ?? 0, campaign);
    return {
      college: { id: String(college), code: ref?.code ?? null, name: ref?.name ?? null },
      /** Who is told the college's progress (the weekly workflow). */
      leaders: leaders.get(String(college)) ?? [],
      plan: planOf(plans[i] ?? null),
      coverage,
      totals: tallyOf(visits),
      planned: plannedAgainst(plans[i]?.approved?.entries ?? [], own).counts,
      drafts: own.length - visits.length,
    };
  }).sort((a, b) => (a.college.code ?? '').localeCompare(b.college.code ?? ''));
  const visits = rows.length ? reports.filter((r) => submitted(r) && byCollege.has(String(r.college))) : [];
  const add = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((total, r) => total + pick(r), 0);
  return {
    campaign: campaignSummary(campaign),
    computedAt: now,
    /** Who receives the table (the workflow that sends it before its deadline). */
    studentAffairs,
    colleges: rows,
    total: {
      coverage: {
        enrolled: add((r) => r.coverage.enrolled),
        required: add((r) => r.coverage.required),
        visited: add((r) => r.coverage.visited),
        counted: add((r) => r.coverage.counted),
        collegesMet: rows.filter((r) => r.coverage.met).length,
        colleges: rows.length,
      },
      totals: tallyOf(visits) satisfies VisitCounts,
      planned: { entries: add((r) => r.planned.entries), visited: add((r) => r.planned.visited), notVisited: add((r) => r.planned.notVisited) },
      drafts: add((r) => r.drafts),
    },
    vocabulary: STATISTICS_VOCABULARY,
  };
}

export type SchoolVisitStatistics = Awaited<ReturnType<typeof schoolVisitStatistics>>;
