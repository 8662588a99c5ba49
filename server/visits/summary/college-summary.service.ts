import { collegeDirectory, type CollegeRef } from '../../colleges/colleges.service';
import { commitClaimedWrite } from '../../db/revision-claims';
import { ApiError, problems } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { assertCan, mayActForCollege, mayReadRecord, readScope } from '../../identity/policy';
import type { StudentsService } from '../../students/students.service';
import { field } from '../campaign-errors';
import type { CampaignRecord, CampaignsService } from '../campaigns.service';
import { CollegeSummaryModel, CollegeSummaryRevisionModel, SUMMARY_SECTIONS, SUMMARY_SECTION_ZH, SUMMARY_STATE_ZH, summaryId, type CollegeSummary, type SummarySection, type SummaryState } from './college-summary.model';
import { summaryFromRecords, type SummaryFigures } from './summary-draft';

export class SummaryRevisionConflict extends ApiError {
  constructor(expected: number) {
    super(409, 'REVISION_CONFLICT', `The college summary was changed by someone else after revision ${expected}; reload it and try again`, `学院总结在版本 ${expected} 之后已被他人修改，请刷新后重试`, [
      field('revision', `学院总结已更新，当前版本不是 ${expected}`, `the summary is no longer at revision ${expected}`, 'revision'),
    ]);
  }
}

/**
 * 学院总结 (D10, seed 001 §8(一)): generated from the records until the college saves its own text, edited
 * (If-Match), submitted to student affairs. Read by those who read all the college's visit reports (its
 * counselors and leaders, student affairs, school leaders); written by its counselors and leaders.
 */
export class CollegeSummaryService {
  constructor(
    private readonly students: StudentsService,
    private readonly campaigns: CampaignsService,
  ) {}

  private async locate(actor: Actor, campaignId: string, collegeRef: string): Promise<{ campaign: CampaignRecord; college: CollegeRef }> {
    assertCan(actor, 'visits:read');
    const campaign = await this.campaigns.find(actor, campaignId);
    const college = (await collegeDirectory()).get(collegeRef);
    if (!college || !campaign.colleges.some((c) => c.equals(college._id)) || !mayActForCollege(actor, college._id)) {
      throw problems.notFound('College of this campaign', '参与本次家访活动的学院');
    }
    if (!['school', 'college'].includes(readScope(actor, 'visitReport')) || !mayReadRecord(actor, 'visitReport', { college: college._id })) {
      throw problems.forbidden('The college summary draws on every report of the college: only those who read all of them may open it', '学院总结汇总本学院全部家访报告，仅可阅读全部报告的人员可以查看');
    }
    return { campaign, college };
  }

  private assertMayWrite(actor: Actor, college: CollegeRef): void {
    assertCan(actor, 'visitPlans:write');
    if (!mayActForCollege(actor, college._id)) throw problems.forbidden('Only the counselors and leaders of the college write its summary', '学院总结只能由本学院辅导员或学院领导编写');
  }

  /** The saved summary, or a draft generated from the records (revision 0, not stored). */
  async get(actor: Actor, campaignId: string, collegeRef: string) {
    const { campaign, college } = await this.locate(actor, campaignId, collegeRef);
    const saved = (await CollegeSummaryModel.findById(summaryId(campaign._id, college._id)).lean()) as CollegeSummary | null;
    const generated = await summaryFromRecords(this.students, campaign, college._id);
    return present(campaign, college, saved, generated);
  }

  /** Saves the edited text (If-Match: "0" for the first save of the generated draft). */
  async save(actor: Actor, campaignId: string, collegeRef: string, sections: Partial<Record<SummarySection, string>>, expectedRevision?: number) {
    const { campaign, college } = await this.locate(actor, campaignId, collegeRef);
    this.assertMayWrite(actor, college);
    const id = summaryId(campaign._id, college._id);
    const saved = (await CollegeSummaryModel.findById(id).lean()) as CollegeSummary | null;
    if (saved?.state === 'submitted') throw alreadySubmitted();
    const revision = saved?.revision ?? 0;
    if (expectedRevision !== undefined && expectedRevision !== revision) throw new SummaryRevisionConflict(expectedRevision);
    const base = ((saved?.sections as Partial<Record<SummarySection, string>> | undefined) ?? (await summaryFromRecords(this.students, campaign, college._id)).sections);
    const next = Object.fromEntries(SUMMARY_SECTIONS.map((s) => [s, sections[s] !== undefined ? sections[s]!.trim() : (base[s] ?? '')]));
    const set = saved ? { sections: next, updatedByName: actor.displayName ?? actor.username } : { campaign: campaign._id, college: college._id, state: 'draft', sections: next, updatedByName: actor.displayName ?? actor.username };
    await commitClaimedWrite(CollegeSummaryRevisionModel, CollegeSummaryModel as never, actor, { id, college: college._id, revision, action: 'save', set }, () => new SummaryRevisionConflict(revision));
    return this.get(actor, campaignId, collegeRef);
  }

  /** Submits the saved summary to student affairs with the figures as they are now; a submitted summary is not edited again. */
  async submit(actor: Actor, campaignId: string, collegeRef: string, expectedRevision?: number, now: Date = new Date()) {
    const { campaign, college } = await this.locate(actor, campaignId, collegeRef);
    this.assertMayWrite(actor, college);
    const id = summaryId(campaign._id, college._id);
    const saved = (await CollegeSummaryModel.findById(id).lean()) as CollegeSummary | null;
    if (!saved) {
      throw new ApiError(409, 'SUMMARY_NOT_SAVED', 'Save the summary (review the generated draft) before submitting it', '请先保存学院总结（核对生成的草稿）再提交', [field('revision', '学院总结尚未保存', 'the summary was never saved', 'saved')]);
    }
    if (saved.state === 'submitted') throw alreadySubmitted();
    if (expectedRevision !== undefined && expectedRevision !== saved.revision) throw new SummaryRevisionConflict(expectedRevision);
    const { figures } = await summaryFromRecords(this.students, campaign, college._id);
    const set = { state: 'submitted', submittedAt: now, submittedBy: { user: actor.userId, name: actor.displayName ?? actor.username }, submittedFigures: figures };
    await commitClaimedWrite(CollegeSummaryRevisionModel, CollegeSummaryModel as never, actor, { id, college: college._id, revision: saved.revision, action: 'submit', set }, () => new SummaryRevisionConflict(saved.revision), now);
    return this.get(actor, campaignId, collegeRef);
  }
}

function alreadySubmitted(): ApiError {
  return new ApiError(409, 'SUMMARY_SUBMITTED', 'The summary was submitted to student affairs and is no longer edited', '学院总结已提交学工部，不能再修改', [field('state', '学院总结已提交', 'the summary is submitted', 'draft')]);
}

function present(campaign: CampaignRecord, college: CollegeRef, saved: CollegeSummary | null, generated: { figures: SummaryFigures; sections: Record<SummarySection, string> }) {
  const state: SummaryState = (saved?.state as SummaryState | undefined) ?? 'draft';
  const sections = saved ? (Object.fromEntries(SUMMARY_SECTIONS.map((s) => [s, saved.sections?.[s] ?? ''])) as Record<SummarySection, string>) : generated.sections;
  return {
    id: summaryId(campaign._id, college._id),
    campaign: { id: String(campaign._id), title: campaign.title },
    college: { id: String(college._id), code: college.code, name: college.name },
    state,
    stateZh: SUMMARY_STATE_ZH[state],
    /** Not saved yet: the text is the draft generated from the records. */
    generated: !saved,
    revision: saved?.revision ?? 0,
    figures: state === 'submitted' && saved?.submittedFigures ? (saved.submittedFigures as SummaryFigures) : generated.figures,
    sections,
    sectionTitles: SUMMARY_SECTION_ZH,
    /** What the records say now, to compare with or copy into an edited text. */
    generatedSections: generated.sections,
    submittedAt: saved?.submittedAt ?? null,
    submittedBy: saved?.submittedBy?.name ?? null,
    updatedAt: saved?.updatedAt ?? null,
    updatedBy: saved?.updatedByName || null,
  };
}
