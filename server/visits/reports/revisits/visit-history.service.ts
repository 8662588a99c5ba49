import type { Types } from 'mongoose';
import { collegeDirectory } from '../../../colleges/colleges.service';
import { problems } from '../../../http/problem';
import type { Actor } from '../../../identity/actor';
import { assertCan, mayReadRecord, readScope } from '../../../identity/policy';
import type { StudentsService } from '../../../students/students.service';
import { CampaignModel } from '../../campaign.model';
import type { CampaignsService } from '../../campaigns.service';
import { VisitPlanModel, planId } from '../../visit-plan.model';
import { VisitReportModel } from '../visit-report.model';
import { BRIEF_FIELDS, newestFirst, visitBriefs, type BriefSource } from './visit-brief';

/** Most visits a student's timeline shows (newest first). */
const TIMELINE_LIMIT = 200;
/** Most earlier reports of one college read for its revisit candidates (the newest first); `truncated` beyond. */
const REVISIT_SCAN_LIMIT = 5000;
/** Most earlier campaigns looked back on. */
const EARLIER_CAMPAIGNS_LIMIT = 100;

async function campaignTitles(ids: Types.ObjectId[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.map(String))];
  const found = unique.length ? await CampaignModel.find({ _id: { $in: unique } }).select('title').lean() : [];
  return new Map(found.map((c) => [String(c._id), c.title]));
}

/**
 * D8 continuous cultivation: a student's visits across campaigns and years, and the students of a
 * college visited in earlier campaigns, offered for a revisit with their last visit in brief.
 */
export class VisitHistoryService {
  constructor(
    private readonly students: StudentsService,
    private readonly campaigns: CampaignsService,
  ) {}

  /** The student's submitted visits, newest first; scope as reading the student (out of scope: 404). */
  async timeline(actor: Actor, studentRef: string) {
    assertCan(actor, 'students:read');
    const student = await this.students.findScoped(actor, studentRef);
    const found = (await VisitReportModel.find({ student: student._id, version: { $gte: 1 } }).select(BRIEF_FIELDS).limit(TIMELINE_LIMIT + 1).lean()) as unknown as Array<BriefSource & { college: Types.ObjectId }>;
    const shown = found.slice(0, TIMELINE_LIMIT);
    const briefs = await visitBriefs(shown, await campaignTitles(shown.map((r) => r.campaign)));
    const items = briefs.map((b, i) => ({ ...b, readable: mayReadRecord(actor, 'visitReport', shown[i]!) })).sort(newestFirst);
    return { student: { id: String(student._id), studentNo: student.studentNo, name: student.name }, items, truncated: found.length > TIMELINE_LIMIT };
  }

  /**
   * Students of the college visited in campaigns before this one (their submitted reports), with their
   * last visit in brief, leaving out those this campaign already plans or reports on. For those who read
   * the college's visit reports (its counselors and leaders, student affairs).
   */
  async revisitCandidates(actor: Actor, campaignId: string, collegeRef: string, page: { limit: number; skip: number }) {
    const campaign = await this.campaigns.find(actor, campaignId);
    const college = (await collegeDirectory()).get(collegeRef);
    const readsCollege = ['school', 'college'].includes(readScope(actor, 'visitReport'));
    if (!college || !campaign.colleges.some((c) => c.equals(college._id)) || !readsCollege || !mayReadRecord(actor, 'visitReport', { college: college._id })) {
      throw problems.notFound('College of this campaign', '参与本次家访活动的学院');
    }
    const earlier = await CampaignModel.find({ visitStartsOn: { $lt: campaign.visitStartsOn } }).select('_id title').sort({ visitStartsOn: -1 }).limit(EARLIER_CAMPAIGNS_LIMIT).lean();
    if (earlier.length === 0) return { campaign: { id: String(campaign._id), title: campaign.title }, college: { id: String(college._id), code: college.code }, items: [], total: 0, truncated: false };

    const [visited, plan, reportedNow] = await Promise.all([
      VisitReportModel.find({ college: college._id, version: { $gte: 1 }, campaign: { $in: earlier.map((c) => c._id) } }).select(BRIEF_FIELDS).sort({ submittedAt: -1 }).limit(REVISIT_SCAN_LIMIT + 1).lean(),
      VisitPlanModel.findById(planId(campaign._id, college._id)).select('entries.student approved.entries.student').lean(),
      VisitReportModel.find({ campaign: campaign._id, college: college._id }).select('student').lean(),
    ]);
    const taken = new Set([...(plan?.entries ?? []), ...(plan?.approved?.entries ?? [])].map((e) => String(e.student)));
    for (const r of reportedNow) taken.add(String(r.student));

    const byStudent = new Map<string, { reports: BriefSource[]; campaigns: Set<string> }>();
    for (const r of visited.slice(0, REVISIT_SCAN_LIMIT) as unknown as BriefSource[]) {
      const key = String(r.student);
      if (taken.has(key)) continue;
      const entry = byStudent.get(key) ?? { reports: [], campaigns: new Set<string>() };
      entry.reports.push(r);
      entry.campaigns.add(String(r.campaign));
      byStudent.set(key, entry);
    }
    const students = [...byStudent.values()].sort((a, b) => a.reports[0]!.studentNo.localeCompare(b.reports[0]!.studentNo));
    const shown = students.slice(page.skip, page.skip + page.limit);
    const titles = new Map(earlier.map((c) => [String(c._id), c.title]));
    const items = await Promise.all(
      shown.map(async ({ reports, campaigns }) => {
        const briefs = (await visitBriefs(reports, titles)).sort(newestFirst);
        const first = reports[0]! as BriefSource & { grade?: string; major?: string; className?: string };
        return {
          student: { id: String(first.student), studentNo: first.studentNo, name: first.studentName, grade: first.grade ?? '', major: first.major ?? '', className: first.className ?? '' },
          visits: reports.length,
          campaigns: campaigns.size,
          lastVisit: briefs[0]!,
        };
      }),
    );
    return { campaign: { id: String(campaign._id), title: campaign.title }, college: { id: String(college._id), code: college.code }, items, total: students.length, truncated: visited.length > REVISIT_SCAN_LIMIT };
  }
}
