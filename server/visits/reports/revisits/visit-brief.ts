import { formatCalendarDate } from '../../../calendar/academic-calendar';
import { VISIT_KIND_ZH, VISIT_MODE_ZH, VISITOR_ROLE_ZH, type VisitMode, type VisitorRole } from '../../visit-vocabulary';
import { REPORT_STATE_ZH, type ReportState } from '../report-vocabulary';
import { VisitReportVersionModel, reportVersionId } from '../visit-report.model';

/** What a brief needs of a report: its facts, state and the few content fields a brief shows. */
export const BRIEF_FIELDS = 'campaign college createdBy student studentNo studentName grade major className mode kind targetType visitors unplanned state version submittedAt content.visitedOn content.followUp';

export interface BriefSource {
  _id: string;
  campaign: import('mongoose').Types.ObjectId;
  student: import('mongoose').Types.ObjectId;
  studentNo: string;
  studentName: string;
  mode: string;
  kind: string;
  visitors: Array<{ name: string; role: string }>;
  unplanned: boolean;
  state: string;
  version: number;
  submittedAt?: Date | null;
  content?: { visitedOn?: Date | null; followUp?: { needed?: boolean | null; needs?: string | null } | null } | null;
}

/**
 * A visit in brief (D8 revisits and timeline): when, how, by whom, what needs following up — from the
 * last submitted version (a report being amended or returned shows what was submitted), nothing sensitive.
 */
export async function visitBriefs(reports: BriefSource[], titles: Map<string, string>) {
  const submitted = await Promise.all(
    reports.map(async (r) => {
      if (r.state === 'submitted') return r;
      const kept = await VisitReportVersionModel.findById(reportVersionId(r._id, r.version)).select('mode kind visitors content.visitedOn content.followUp submittedAt').lean();
      return kept ? { ...r, ...kept, _id: r._id, state: r.state, version: r.version } : r;
    }),
  );
  return submitted.map((r) => ({
    report: r._id,
    campaign: { id: String(r.campaign), title: titles.get(String(r.campaign)) ?? null },
    visitedOn: r.content?.visitedOn ? formatCalendarDate(r.content.visitedOn) : null,
    mode: r.mode,
    modeZh: VISIT_MODE_ZH[r.mode as VisitMode],
    kind: r.kind,
    kindZh: VISIT_KIND_ZH[r.kind as keyof typeof VISIT_KIND_ZH],
    visitors: r.visitors.map((v) => ({ name: v.name, role: v.role, roleZh: VISITOR_ROLE_ZH[v.role as VisitorRole] })),
    unplanned: r.unplanned,
    version: r.version,
    state: r.state,
    stateZh: REPORT_STATE_ZH[r.state as ReportState],
    followUp: { needed: !!r.content?.followUp?.needed, needs: r.content?.followUp?.needs ?? '' },
    submittedAt: r.submittedAt ?? null,
  }));
}

/** Newest visit first: by visit day, then by submission. */
export function newestFirst(a: { visitedOn: string | null; submittedAt: Date | null }, b: { visitedOn: string | null; submittedAt: Date | null }): number {
  return (b.visitedOn ?? '').localeCompare(a.visitedOn ?? '') || (b.submittedAt?.getTime() ?? 0) - (a.submittedAt?.getTime() ?? 0);
}
