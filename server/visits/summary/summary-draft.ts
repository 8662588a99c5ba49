import type { Types } from 'mongoose';
import type { StudentsService } from '../../students/students.service';
import type { CampaignRecord } from '../campaigns.service';
import { TypicalCaseModel } from '../cases/typical-case.model';
import { percentText, requiredVisits } from '../coverage';
import { VisitReportModel } from '../reports/visit-report.model';
import { VISIT_MODES, VISIT_MODE_ZH, type VisitMode } from '../visit-vocabulary';
import type { SummarySection } from './college-summary.model';

/** Reports one summary reads at most (as the materials package: a college's visits are hundreds). */
export const SUMMARY_REPORT_LIMIT = 3000;
/** Typical cases the summary names at most. */
const CASES_NAMED = 50;
/** Reflections quoted, and the longest quote. */
const REFLECTIONS_QUOTED = 5;
const QUOTE_LENGTH = 80;

export interface SummaryFigures {
  /** Submitted reports, by visit mode. */
  reports: number;
  byMode: Record<VisitMode, number>;
  /** Distinct students of the submitted reports. */
  studentsVisited: number;
  coverage: { enrolled: number; percent: string; required: number; counted: number; met: boolean; leaderVisitsCount: boolean };
  leaderVisits: number;
  unplanned: number;
  followUps: number;
  truncated: boolean;
}

interface ReportFacts {
  student: Types.ObjectId;
  studentNo: string;
  studentName: string;
  mode: string;
  leaderVisit: boolean;
  unplanned: boolean;
  visitors: Array<{ name: string }>;
  content?: { followUp?: { needed?: boolean; needs?: string } | null; reflections?: string } | null;
}

const quote = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return [...flat].length > QUOTE_LENGTH ? `${[...flat].slice(0, QUOTE_LENGTH).join('')}…` : flat;
};

/**
 * D10 学院总结 from the records: the figures of the college's submitted visit reports of a campaign
 * against its coverage goal (D3), and the draft text — the visits in figures, the follow-up needs met
 * (problems, their solutions for the college to fill in), the college's typical cases, short excerpts
 * of the visitors' reflections attributed to them.
 */
export async function summaryFromRecords(students: StudentsService, campaign: CampaignRecord, college: Types.ObjectId) {
  const found = (await VisitReportModel.find({ campaign: campaign._id, college, state: 'submitted' })
    .select('student studentNo studentName mode leaderVisit unplanned visitors.name content.followUp content.reflections')
    .sort({ studentNo: 1 })
    .limit(SUMMARY_REPORT_LIMIT + 1)
    .lean()) as unknown as ReportFacts[];
  const reports = found.slice(0, SUMMARY_REPORT_LIMIT);
  const enrolled = (await students.countByGradeAndMajor(college)).reduce((sum, g) => sum + g.count, 0);
  const required = requiredVisits(enrolled, campaign.coverageBasisPoints);
  const counted = new Set(reports.filter((r) => campaign.leaderVisitsCount || !r.leaderVisit).map((r) => String(r.student))).size;
  const byMode = Object.fromEntries(VISIT_MODES.map((m) => [m, reports.filter((r) => r.mode === m).length])) as Record<VisitMode, number>;
  const followUps = reports.filter((r) => r.content?.followUp?.needed && r.content.followUp.needs);
  const figures: SummaryFigures = {
    reports: reports.length,
    byMode,
    studentsVisited: new Set(reports.map((r) => String(r.student))).size,
    coverage: { enrolled, percent: percentText(campaign.coverageBasisPoints), required, counted, met: counted >= required, leaderVisitsCount: campaign.leaderVisitsCount },
    leaderVisits: reports.filter((r) => r.leaderVisit).length,
    unplanned: reports.filter((r) => r.unplanned).length,
    followUps: followUps.length,
    truncated: found.length > SUMMARY_REPORT_LIMIT,
  };

  const cases = await TypicalCaseModel.find({ campaigns: campaign._id, college }).select('title studentName').sort({ createdAt: 1 }).limit(CASES_NAMED).lean();
  const modes = VISIT_MODES.filter((m) => byMode[m]).map((m) => `${VISIT_MODE_ZH[m]} ${byMode[m]} 份`).join('、');
  const goal = figures.coverage.met ? `达到覆盖目标（至少 ${required} 人，在校生 ${enrolled} 人的 ${figures.coverage.percent}）` : `覆盖目标至少 ${required} 人（在校生 ${enrolled} 人的 ${figures.coverage.percent}），尚差 ${required - counted} 人`;
  const sections: Record<SummarySection, string> = {
    overview: `${campaign.title}期间，学院共提交家访报告 ${figures.reports} 份${modes ? `（${modes}）` : ''}，走访学生 ${figures.studentsVisited} 人，${goal}；校领导参与家访 ${figures.leaderVisits} 次，计划外家访 ${figures.unplanned} 次，需后续跟进 ${figures.followUps} 人。`,
    problems: followUps.map((r, i) => `${i + 1}. ${r.studentName}（${r.studentNo}）：${r.content!.followUp!.needs!.trim()}\n   解决方法：`).join('\n'),
    cases: cases.map((c, i) => `${i + 1}. ${c.title}（${c.studentName}）`).join('\n'),
    reflections: reports
      .filter((r) => r.content?.reflections?.trim())
      .slice(0, REFLECTIONS_QUOTED)
      .map((r) => `“${quote(r.content!.reflections!)}” —— ${r.visitors.map((v) => v.name).join('、')}（走访 ${r.studentName}）`)
      .join('\n'),
  };
  return { figures, sections };
}
