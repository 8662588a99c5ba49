import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { recordAudit } from '../../audit/audit.service';
import { calendarDate, formatCalendarDate, ZONE } from '../../calendar/academic-calendar';
import { collegeDirectory } from '../../colleges/colleges.service';
import { createOnce } from '../../db/create-once';
import { pageWithTotal } from '../../db/page-with-total';
import { publishEvent } from '../../events/event-bus';
import { fileIdOf, fileIdFromUrl } from '../../files/file-reference';
import { attachFiles, findStoredFiles } from '../../files/files.service';
import { inspectEntries } from '../../forms/visit-evidence';
import { visitEvidenceProblems } from '../../forms/visit-photo-rule';
import { ApiError, problems, type FieldProblem } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { assertCan, isCollegeScoped, mayActForCollege, mayReadRecord, maySeeSensitive, mayWriteVisitReport, scopeFilter } from '../../identity/policy';
import type { ContactsService } from '../../liaison/contacts.service';
import type { TOPICS } from '../../liaison/contact.model';
import { StudentModel } from '../../students/student.model';
import type { StudentsService } from '../../students/students.service';
import { field } from '../campaign-errors';
import type { CampaignRecord, CampaignsService } from '../campaigns.service';
import { presentEntry, resolveEntries } from '../plan-entries';
import type { PlansService } from '../plans.service';
import { VisitPlanModel, planId, type PlanEntry } from '../visit-plan.model';
import { CAMPAIGN_STATE_ZH, TARGET_TYPE_ZH, VISIT_KIND_ZH, VISIT_MODE_ZH, VISITOR_ROLE_ZH, type VisitMode, type VisitorRole } from '../visit-vocabulary';
import {
  AID_POLICY_ZH, ORIENTATION_ZH, REPAYMENT_INTENTION_ZH, REPORT_SENSITIVE_FIELDS, REPORT_STATE_ZH, REPORT_TEXT_FIELDS, SAFETY_TOPIC_ZH,
  type AidPolicy, type Orientation, type RepaymentIntention, type ReportState, type SafetyTopic,
} from './report-vocabulary';
import { draftProposals, presentProposals, recordProposals, withdrawProposals } from './proposals/report-proposals';
import { evidenceEntries } from './report-evidence-entries';
import { ReportRevisionConflict, commitReportWrite, recordStart } from './report-writer';
import { VisitReportModel, VisitReportVersionModel, plannedReportId, reportVersionId, unplannedReportId, type ReportContent, type VisitReport } from './visit-report.model';

export type ReportRecord = VisitReport & { _id: string; createdAt?: Date; updatedAt?: Date };

export interface StartInput {
  campaign: string;
  college?: string;
  entryId?: string;
  student?: string;
  reason?: string;
  mode?: VisitMode;
  kind?: PlanEntry['kind'];
  targetType?: PlanEntry['targetType'];
  visitors?: Array<{ user?: string; name?: string; role?: VisitorRole }>;
}

export interface ContentInput {
  visitedOn?: string | null;
  place?: string;
  metWith?: string;
  orientations?: Orientation[];
  familyState?: string;
  psychologicalState?: string;
  emotionalState?: string;
  studyState?: string;
  personality?: string;
  familyFinances?: string;
  safetyEducation?: SafetyTopic[];
  aidPolicies?: AidPolicy[];
  graduateDevelopment?: string;
  loan?: { repaymentIntention?: RepaymentIntention; reminderGiven?: boolean; note?: string } | null;
  account?: string;
  reflections?: string;
  parentOpinion?: string;
  followUp?: { needed: boolean; needs?: string };
  photos?: string[];
  media?: string[];
  /** Archive changes the visit proposes (D8), by archive field. */
  proposals?: Record<string, unknown>;
}

/** How many unplanned reports "my visits" lists at most, and planned visits of one person. */
const MINE_LIMIT = 500;

/** How long a second submission of a draft waits for the first one's write to land (its claim already made). */
const LANDING_ATTEMPTS = 40;
const LANDING_WAIT_MS = 50;

const notFound = () => problems.notFound('Visit report', '家访报告');

/** What a report copies from the approved plan entry (or, unplanned, from the archive): never typed again. */
function visitFacts(entry: PlanEntry) {
  return {
    student: entry.student,
    studentNo: entry.studentNo,
    studentName: entry.studentName,
    grade: entry.grade,
    major: entry.major,
    className: entry.className ?? '',
    targetType: entry.targetType,
    mode: entry.mode,
    kind: entry.kind,
    visitors: entry.visitors.map((v) => ({ ...(v.user ? { user: v.user } : {}), name: v.name, role: v.role })),
    leaderVisit: entry.leaderVisit,
    plannedOn: entry.plannedOn ?? undefined,
  };
}

/** The stored-file id a reference names: the id itself or the URL of an upload of this service. */
function fileIdOfRef(ref: string): string | undefined {
  return /^[0-9a-f]{24}$/.test(ref) ? ref : (fileIdFromUrl(ref) ?? fileIdOf({ url: ref }));
}

/** The start of a visit day in Asia/Shanghai: the moment the family contact is recorded at. */
function startOfVisitDay(day: Date): Date {
  return DateTime.fromISO(formatCalendarDate(day), { zone: ZONE }).startOf('day').toJSDate();
}


/** The contact topics (B1) a visit's orientations touch. */
function contactTopics(orientations: readonly string[]): Array<(typeof TOPICS)[number]> {
  const topics = new Set<(typeof TOPICS)[number]>(['conduct']);
  if (orientations.includes('study')) topics.add('grades');
  if (orientations.includes('ideology') || orientations.includes('psychology')) topics.add('thinking');
  return [...topics];
}

/**
 * D6–D8: the report of each student visit — started from an approved plan entry or, unplanned, from a
 * student with a reason; drafts saved at any time, submitted against the campaign's evidence rule, changed
 * afterwards only as new versions; every submission records the family contact once.
 */
export class VisitReportsService {
  constructor(
    private readonly students: StudentsService,
    private readonly campaigns: CampaignsService,
    private readonly plans: PlansService,
    private readonly contacts: ContactsService,
  ) {}

  private get cipher() {
    return this.students.cipher;
  }

  private async load(id: string): Promise<ReportRecord | null> {
    return (await VisitReportModel.findById(id).lean()) as ReportRecord | null;
  }

  /** A report the actor may read (else 404): read by `_id`, the scope checked in memory. */
  private async readable(actor: Actor, id: string): Promise<ReportRecord> {
    assertCan(actor, 'visits:read');
    const report = await this.load(id);
    if (!report || !mayReadRecord(actor, 'visitReport', report)) throw notFound();
    return report;
  }

  private assertMayWrite(actor: Actor, report: { college: Types.ObjectId; visitors: ReadonlyArray<{ user?: Types.ObjectId | null }> }): void {
    assertCan(actor, 'contacts:write');
    if (!mayWriteVisitReport(actor, report)) {
      throw problems.forbidden('Only the visitors named on the visit and the counselors and leaders of its college write its report', '家访报告只能由该次家访的家访人员或本学院辅导员、领导填写');
    }
  }

  private assertOpen(campaign: CampaignRecord): void {
    if (campaign.state !== 'open') {
      throw new ApiError(409, 'CAMPAIGN_NOT_OPEN', `The campaign is ${campaign.state}: reports are written only while it is open`, `家访活动${CAMPAIGN_STATE_ZH[campaign.state]}，仅在进行中可填写家访报告`);
    }
  }

  /** Starts the report of a planned visit (its approved entry) or of an unplanned one; an existing report is returned as it is. */
  async start(actor: Actor, input: StartInput): Promise<{ created: boolean; report: Awaited<ReturnType<VisitReportsService['present']>> }> {
    assertCan(actor, 'contacts:write');
    const campaign = await this.campaigns.find(actor, input.campaign);
    this.assertOpen(campaign);
    const planned = input.entryId !== undefined || input.college !== undefined;
    if (planned && input.student !== undefined) {
      throw problems.validation([field('student', '请二选一：计划内家访填写学院和计划条目，计划外家访填写学生和原因', 'name either a plan entry (college, entryId) or, for an unplanned visit, a student with a reason', 'oneOf')]);
    }
    const draft = planned ? await this.plannedDraft(actor, campaign, input) : await this.unplannedDraft(actor, campaign, input);
    this.assertMayWrite(actor, draft);
    const existing = await this.load(draft._id);
    if (existing) return { created: false, report: await this.present(actor, existing, campaign) };
    const doc = new VisitReportModel({ ...draft, campaign: campaign._id, state: 'draft', revision: 1, version: 0, content: {}, sealed: {}, photos: [], media: [], fileKey: new Types.ObjectId(), contactId: new Types.ObjectId(), createdBy: actor.userId });
    const { created } = await createOnce(doc, () => VisitReportModel.findById(draft._id));
    if (created) await recordStart(actor, draft._id, draft.college);
    return { created, report: await this.present(actor, (await this.load(draft._id))!, campaign) };
  }

  private async plannedDraft(actor: Actor, campaign: CampaignRecord, input: StartInput) {
    const found: FieldProblem[] = [];
    if (!input.college) found.push(field('college', '计划内家访须填写学院', 'a planned visit names its college', 'required'));
    if (!input.entryId) found.push(field('entryId', '计划内家访须填写计划条目', 'a planned visit names its plan entry', 'required'));
    if (found.length) throw problems.validation(found);
    const college = (await collegeDirectory()).get(input.college!);
    if (!college || !campaign.colleges.some((c) => c.equals(college._id)) || !mayReadRecord(actor, 'visitPlan', { college: college._id })) {
      throw problems.notFound('College of this campaign', '参与本次家访活动的学院');
    }
    const entry = await this.plans.approvedEntry(campaign._id, college._id, input.entryId!);
    if (!entry) throw entryNotApproved();
    return { _id: plannedReportId(campaign._id, college._id, entry.id), college: college._id, entryId: entry.id, unplanned: false, reason: '', ...visitFacts(entry) };
  }

  private async unplannedDraft(actor: Actor, campaign: CampaignRecord, input: StartInput) {
    const found: FieldProblem[] = [];
    if (!input.student) found.push(field('student', '请填写计划内家访的学院和计划条目，或计划外家访的学生', 'name a plan entry (college, entryId) or the student of an unplanned visit', 'required'));
    if (!input.reason?.trim()) found.push(field('reason', '计划外家访须填写原因', 'an unplanned visit needs a reason', 'required'));
    if (!input.mode) found.push(field('mode', '计划外家访须填写家访方式', 'an unplanned visit needs its mode', 'required'));
    if (found.length) throw problems.validation(found);
    const student = await this.students.findReferable(actor, input.student!);
    if (!campaign.colleges.some((c) => c.equals(student.college))) {
      throw problems.validation([field('student', `学生 ${student.studentNo} 所在学院未参加本次家访活动`, `student ${student.studentNo} belongs to a college outside this campaign`, 'campaign')]);
    }
    const plan = await VisitPlanModel.findById(planId(campaign._id, student.college)).select('approved.entries.id approved.entries.student').lean();
    const planned = plan?.approved?.entries.find((e) => e.student.equals(student._id));
    if (planned) {
      throw new ApiError(409, 'PLANNED_VISIT', `Student ${student.studentNo} is in the approved plan: report on its entry ${planned.id}`, `学生 ${student.studentNo} 已在批准的家访计划中，请从计划条目填写报告`, [
        field('entryId', `请使用计划条目 ${planned.id}`, `use plan entry ${planned.id}`, 'planned'),
      ]);
    }
    let entries: PlanEntry[];
    try {
      entries = await resolveEntries(this.students, student.college, [{ student: String(student._id), mode: input.mode!, kind: input.kind ?? 'general', targetType: input.targetType, visitors: input.visitors ?? [{ user: String(actor.userId) }] }], {
        ids: new Set(),
        window: { startsOn: campaign.visitStartsOn, endsOn: campaign.visitEndsOn },
      });
    } catch (error) {
      if (error instanceof ApiError) throw problems.validation(error.details.map((d) => ({ ...d, path: d.path.replace(/^entries\[0\]\./, '') })));
      throw error;
    }
    const entry = entries[0]!;
    return { _id: unplannedReportId(campaign._id, student.college, student._id), college: student.college, entryId: null, unplanned: true, reason: input.reason!.trim(), ...visitFacts(entry) };
  }

  async get(actor: Actor, id: string) {
    const report = await this.readable(actor, id);
    return this.present(actor, report, await this.campaigns.find(actor, String(report.campaign)));
  }

  /** One submitted version, as it was submitted. */
  async version(actor: Actor, id: string, version: number) {
    const report = await this.readable(actor, id);
    const kept = version >= 1 && version <= report.version ? await VisitReportVersionModel.findById(reportVersionId(id, version)).lean() : null;
    if (!kept) throw problems.notFound('Version of the visit report', '家访报告的该版本');
    const { sensitive, redacted } = await this.open(actor, { ...kept, _id: id } as unknown as ReportRecord, kept.sealed as Record<string, string>, `${id}#${version}`);
    const proposed = await presentProposals(actor, { ...kept, _id: id, campaign: report.campaign } as never, this.cipher, `${id}#${version}`);
    return {
      id,
      version: kept.version,
      revision: kept.revision,
      ...presentFacts(kept as unknown as ReportRecord),
      content: { ...presentContent(kept.content as ReportContent), ...sensitive },
      proposals: proposed.proposals,
      redacted: [...redacted, ...proposed.redacted],
      photos: kept.photos,
      media: kept.media,
      submittedAt: kept.submittedAt,
      submittedBy: kept.submittedBy ? { username: kept.submittedBy.username, displayName: kept.submittedBy.displayName } : null,
    };
  }

  /** Saves draft content (no evidence check). A submitted report changed here becomes the draft of its next version. */
  async update(actor: Actor, id: string, input: ContentInput, expectedRevision?: number) {
    const report = await this.readable(actor, id);
    this.assertMayWrite(actor, report);
    const campaign = await this.campaigns.find(actor, String(report.campaign));
    this.assertOpen(campaign);
    if (expectedRevision !== undefined && expectedRevision !== report.revision) throw new ReportRevisionConflict(expectedRevision);

    const found: FieldProblem[] = [];
    const content: Record<string, unknown> = { ...(report.content ?? {}) };
    for (const key of REPORT_TEXT_FIELDS) if (input[key] !== undefined) content[key] = input[key]!.trim();
    for (const key of ['orientations', 'safetyEducation', 'aidPolicies'] as const) if (input[key] !== undefined) content[key] = input[key];
    if (input.loan !== undefined) content.loan = input.loan === null ? null : { repaymentIntention: input.loan.repaymentIntention, reminderGiven: input.loan.reminderGiven ?? false, note: input.loan.note?.trim() ?? '' };
    if (input.followUp !== undefined) content.followUp = { needed: input.followUp.needed, needs: input.followUp.needs?.trim() ?? '' };
    if (input.visitedOn !== undefined) {
      if (input.visitedOn === null) content.visitedOn = undefined;
      else {
        const day = calendarDate(input.visitedOn);
        if (!day) found.push(field('visitedOn', '日期无效', 'not a valid date', 'date'));
        else content.visitedOn = day;
      }
    }
    // A sensitive part left out stays as it was (a visitor who may not read it cannot have erased it).
    const sealed: Record<string, string> = { ...((report.sealed ?? {}) as Record<string, string>) };
    for (const key of REPORT_SENSITIVE_FIELDS) {
      const value = input[key];
      if (value === undefined) continue;
      if (value.trim()) sealed[key] = this.cipher.encrypt(value.trim());
      else delete sealed[key];
    }
    const proposals = input.proposals === undefined ? undefined : draftProposals(input.proposals, sealed, this.cipher);
    found.push(...(proposals?.problems ?? []));
    const files: Record<'photos' | 'media', string[] | undefined> = { photos: undefined, media: undefined };
    for (const key of ['photos', 'media'] as const) {
      const refs = input[key];
      if (refs === undefined) continue;
      files[key] = refs.map((ref, i) => {
        const fileId = fileIdOfRef(ref);
        if (!fileId) found.push(field(`${key}[${i}]`, '应为本系统上传文件的编号或地址', 'must be the id or URL of an upload of this service', 'fileRef'));
        return fileId ?? '';
      });
    }
    if (found.length) throw problems.validation(found);
    // Uploads named here become this report's at once, so another report cannot take them meanwhile.
    const named = [...(files.photos ?? []), ...(files.media ?? [])].filter((f) => !report.photos.includes(f) && !report.media.includes(f));
    await attachFiles(actor, named, { _id: report.fileKey, owner: report.createdBy, college: report.college });

    const set: Record<string, unknown> = { content, sealed, state: 'draft' };
    if (files.photos) set.photos = files.photos;
    if (files.media) set.media = files.media;
    if (proposals) set.proposals = proposals.plain;
    const at = new Date();
    const revision = await commitReportWrite(actor, { id, college: report.college, revision: report.revision, action: 'save', set }, at);
    return this.present(actor, written(report, set, revision, at), campaign);
  }

  /**
   * Submits the draft: the content complete for the visit's target group, the evidence the campaign asks
   * for the visit's mode. Idempotent: submitting a submitted report (again, or in parallel) answers that
   * one submitted version; the family contact (D8) is recorded once per report whatever the versions.
   */
  async submit(actor: Actor, id: string, expectedRevision?: number, now: Date = new Date()) {
    const report = await this.readable(actor, id);
    this.assertMayWrite(actor, report);
    const campaign = await this.campaigns.find(actor, String(report.campaign));
    if (report.state === 'submitted') return this.alreadySubmitted(actor, report, campaign, expectedRevision);
    this.assertOpen(campaign);
    if (expectedRevision !== undefined && expectedRevision !== report.revision) throw new ReportRevisionConflict(expectedRevision);

    let facts = {};
    if (!report.unplanned) {
      // The visit as approved now: an amendment may have changed its mode or visitors since the draft began.
      const entry = await this.plans.approvedEntry(report.campaign, report.college, report.entryId!);
      if (!entry) throw entryNotApproved();
      facts = visitFacts(entry);
    }
    const subject = { ...report, ...facts } as ReportRecord;
    const found = [...this.contentProblems(subject, campaign, now), ...(await this.evidenceProblems(actor, subject, campaign))];
    if (found.length) throw problems.validation(found);

    const version = report.version + 1;
    const submittedBy = { user: actor.userId, username: actor.username, displayName: actor.displayName };
    const set = { ...facts, state: 'submitted', version, submittedAt: now, submittedBy };
    let submitted: ReportRecord;
    try {
      submitted = written(report, set, await commitReportWrite(actor, { id, college: report.college, revision: report.revision, action: 'submit', version, set }, now), now);
    } catch (error) {
      // Another submission of the same draft won: its version is this request's answer too.
      if (!(error instanceof ReportRevisionConflict) || error.takenBy !== 'submit') throw error;
      const current = await this.landed(id, report.revision + 1);
      if (!current) throw error;
      return this.alreadySubmitted(actor, current, campaign, undefined);
    }
    await this.settle(actor, submitted);
    const presented = await this.present(actor, submitted, campaign);
    await publishEvent({ type: 'visitReport.submitted', college: submitted.college, owner: submitted.createdBy, payload: await this.eventPayload(submitted, campaign) });
    return presented;
  }

  /**
   * D8: a counselor or leader of the college sends a submitted report back to its visitors with the
   * reason; they amend it and submit it as the next version. Its proposals of this version are withdrawn.
   */
  async returnReport(actor: Actor, id: string, reason: string, expectedRevision?: number) {
    const report = await this.readable(actor, id);
    assertCan(actor, 'contacts:write');
    if (!(isCollegeScoped(actor) && mayActForCollege(actor, report.college) && (actor.role === 'counselor' || actor.role === 'collegeLeader'))) {
      throw problems.forbidden('Only the counselors and leaders of the college return its visit reports', '家访报告只能由本学院辅导员或学院领导退回');
    }
    const campaign = await this.campaigns.find(actor, String(report.campaign));
    this.assertOpen(campaign);
    if (expectedRevision !== undefined && expectedRevision !== report.revision) throw new ReportRevisionConflict(expectedRevision);
    if (report.state !== 'submitted') {
      throw new ApiError(409, 'REPORT_NOT_SUBMITTED', `Only a submitted report is returned; this one is ${report.state}`, `只能退回已提交的家访报告，该报告当前状态为“${REPORT_STATE_ZH[report.state as ReportState]}”`, [
        field('state', `报告状态：${REPORT_STATE_ZH[report.state as ReportState]}`, `the report is ${report.state}`, 'submitted'),
      ]);
    }
    const lastReturn = { reason: reason.trim(), version: report.version, by: actor.userId, byName: actor.displayName ?? actor.username, at: new Date() };
    await commitReportWrite(actor, { id, college: report.college, revision: report.revision, action: 'return', set: { state: 'returned', lastReturn } });
    await withdrawProposals(id, report.version);
    const returned = (await this.load(id))!;
    await publishEvent({
      type: 'visitReport.rejected', college: returned.college, owner: returned.createdBy,
      payload: { ...(await this.eventPayload(returned, campaign)), reason: lastReturn.reason, returnedBy: { id: String(actor.userId), username: actor.username, displayName: actor.displayName, role: actor.role } },
    });
    return this.present(actor, returned, campaign);
  }

  /** The report once the revision claimed by a concurrent writer has landed (a moment after its claim), or undefined. */
  private async landed(id: string, revision: number): Promise<ReportRecord | undefined> {
    for (let attempt = 0; attempt < LANDING_ATTEMPTS; attempt += 1) {
      const current = await this.load(id);
      if (current && current.revision >= revision) return current.revision === revision && current.state === 'submitted' ? current : undefined;
      await new Promise((resolve) => setTimeout(resolve, LANDING_WAIT_MS));
    }
    return undefined;
  }

  private async alreadySubmitted(actor: Actor, report: ReportRecord, campaign: CampaignRecord, expectedRevision: number | undefined) {
    // The revision the draft had (a retried request) or the submitted one: the same submission.
    if (expectedRevision !== undefined && expectedRevision !== report.revision && expectedRevision !== report.revision - 1) throw new ReportRevisionConflict(expectedRevision);
    await this.settle(actor, report);
    return this.present(actor, report, campaign);
  }

  /**
   * What a submission leaves behind, each step idempotent so that a repeated or interrupted submission
   * completes it: the version kept under `<report>#<version>`, and the family contact (channel home
   * visit) under the report's own contact id — once per report, whatever the versions.
   */
  private async settle(actor: Actor, report: ReportRecord): Promise<void> {
    const kept = new VisitReportVersionModel({
      _id: reportVersionId(report._id, report.version), report: report._id, college: report.college, version: report.version, revision: report.revision,
      ...presentFactsForStorage(report), content: report.content, sealed: report.sealed ?? {}, proposals: report.proposals ?? {}, photos: report.photos, media: report.media,
      submittedAt: report.submittedAt, submittedBy: report.submittedBy,
    });
    await createOnce(kept, () => VisitReportVersionModel.findById(kept._id));
    await recordProposals(report, this.cipher);
    const content = report.content as ReportContent;
    await this.contacts.log(actor, {
      student: String(report.student),
      guardianName: (content.metWith || '家长').slice(0, 30),
      channel: 'homeVisit',
      topics: contactTopics(content.orientations ?? []),
      summary: `${VISIT_MODE_ZH[report.mode as VisitMode]}：${content.account}`.slice(0, 3000),
      parentFeedback: (content.parentOpinion || '—').slice(0, 3000),
      followUps: content.followUp?.needed && content.followUp.needs ? [{ action: content.followUp.needs.slice(0, 500) }] : [],
      contactedAt: startOfVisitDay(content.visitedOn!),
    }, report.contactId);
  }

  /** What a submitted report must say: the visit day, whom was met, what was covered, the account and reflections, what its target group asks for. */
  private contentProblems(report: ReportRecord, campaign: CampaignRecord, now: Date): FieldProblem[] {
    const found: FieldProblem[] = [];
    const c = (report.content ?? {}) as ReportContent;
    const required = (key: string, zh: string, en: string) => found.push(field(key, `${zh}为必填项`, `${en} is required`, 'required'));
    if (!c.visitedOn) required('visitedOn', '家访日期', 'visitedOn');
    else {
      const today = calendarDate(now)!;
      const span = `${formatCalendarDate(campaign.visitStartsOn)} – ${formatCalendarDate(campaign.visitEndsOn)}`;
      if (c.visitedOn > today) found.push(field('visitedOn', '家访日期不能晚于今天', 'the visit cannot lie in the future', 'past'));
      else if (c.visitedOn < campaign.visitStartsOn || c.visitedOn > campaign.visitEndsOn) found.push(field('visitedOn', `家访日期应在家访期间（${span}）内`, `must lie within the visit window (${span})`, 'window'));
    }
    if (!c.metWith) required('metWith', '接待家长', 'metWith (whom of the family the visitor met)');
    if (!c.orientations?.length) found.push(field('orientations', `请至少选择一个导向：${Object.values(ORIENTATION_ZH).join('、')}`, 'choose at least one orientation covered', 'required'));
    if (!c.account) required('account', '家访实录', 'account (the factual account)');
    if (!c.reflections) required('reflections', '心得体会', 'reflections');
    if (!c.parentOpinion) required('parentOpinion', '家长意见和建议', 'parentOpinion');
    if (report.targetType === 'graduate' && !c.graduateDevelopment) required('graduateDevelopment', '毕业生回访的毕业后发展情况', 'graduateDevelopment (a graduate visit)');
    if (report.targetType === 'loanOverdue') {
      if (!c.loan?.repaymentIntention) required('loan.repaymentIntention', '助学贷款逾期毕业生的还款意愿', 'loan.repaymentIntention (an overdue loan borrower)');
      if (!c.loan?.reminderGiven) found.push(field('loan.reminderGiven', '助学贷款逾期毕业生家访须提醒按期还款', 'an overdue borrower must be reminded to repay', 'required'));
    }
    if (c.followUp?.needed && !c.followUp.needs) required('followUp.needs', '跟进事项', 'followUp.needs');
    return found;
  }

  /** D7 evidence by the campaign's rule for the visit's mode: distinct real images uploaded here; video or audio optional. */
  private async evidenceProblems(actor: Actor, report: ReportRecord, campaign: CampaignRecord): Promise<FieldProblem[]> {
    const files = await findStoredFiles([...report.photos, ...report.media]);
    const [photos, media] = await Promise.all([
      inspectEntries(actor, evidenceEntries(report.photos, files), report.fileKey, files),
      inspectEntries(actor, evidenceEntries(report.media, files), report.fileKey, files),
    ]);
    const minimums = evidenceRule(campaign);
    return visitEvidenceProblems(report.mode as VisitMode, photos, media, minimums);
  }

  /** The sealed parts, opened (and the read audited) only for those who may see the student's sensitive part. */
  private async open(actor: Actor, report: ReportRecord, sealed: Record<string, string>, resourceId: string) {
    const keys = REPORT_SENSITIVE_FIELDS.filter((k) => sealed[k]);
    if (keys.length === 0) return { sensitive: {}, redacted: [] as string[] };
    const student = await StudentModel.findById(report.student).select('college counselor').lean();
    if (!student || !maySeeSensitive(actor, student)) return { sensitive: {}, redacted: keys as string[] };
    const sensitive: Record<string, unknown> = {};
    for (const key of keys) sensitive[key] = this.cipher.decrypt(sealed[key]!);
    await recordAudit({ action: 'read-sensitive', resourceType: 'visitReport', resourceId, fields: keys, college: report.college });
    return { sensitive, redacted: [] as string[] };
  }

  async present(actor: Actor, report: ReportRecord, campaign: CampaignRecord) {
    const college = (await collegeDirectory()).get(String(report.college));
    const { sensitive, redacted } = await this.open(actor, report, (report.sealed ?? {}) as Record<string, string>, report._id);
    const proposed = await presentProposals(actor, report, this.cipher, report._id);
    // Each version by its `_id`, which every engine serves from the index (a `$in` scans on the embedded one).
    const kept = await Promise.all(Array.from({ length: report.version }, (_, i) => VisitReportVersionModel.findById(reportVersionId(report._id, i + 1)).select('version revision submittedAt submittedBy').lean()));
    const versions = kept.filter((v) => !!v);
    return {
      id: report._id,
      campaign: { id: String(campaign._id), title: campaign.title, state: campaign.state },
      college: { id: String(report.college), code: college?.code ?? null, name: college?.name ?? null },
      entryId: report.entryId ?? null,
      unplanned: report.unplanned,
      reason: report.reason ?? '',
      ...presentFacts(report),
      state: report.state,
      stateZh: REPORT_STATE_ZH[report.state as ReportState],
      revision: report.revision,
      version: report.version,
      /** A submitted report being changed: the draft of its next version (the submitted one stays in `versions`). */
      amending: report.state === 'draft' && report.version > 0,
      evidenceRequired: { mode: report.mode, photos: evidenceRule(campaign)[report.mode as VisitMode] },
      content: { ...presentContent(report.content as ReportContent), ...sensitive },
      proposals: proposed.proposals,
      redacted: [...redacted, ...proposed.redacted],
      lastReturn: report.lastReturn ? { reason: report.lastReturn.reason, version: report.lastReturn.version, by: report.lastReturn.byName, at: report.lastReturn.at } : null,
      photos: report.photos,
      media: report.media,
      versions: versions.map((v) => ({ version: v.version, revision: v.revision, submittedAt: v.submittedAt, submittedBy: v.submittedBy?.displayName ?? null })),
      createdBy: String(report.createdBy),
      submittedAt: report.submittedAt ?? null,
      updatedAt: report.updatedAt ?? null,
    };
  }

  private async eventPayload(report: ReportRecord, campaign: CampaignRecord) {
    const college = (await collegeDirectory()).get(String(report.college));
    const c = report.content as ReportContent;
    return {
      id: report._id,
      campaignId: String(campaign._id),
      campaignTitle: campaign.title,
      collegeId: String(report.college),
      collegeCode: college?.code ?? null,
      collegeName: college?.name ?? null,
      entryId: report.entryId ?? null,
      unplanned: report.unplanned,
      ...presentFacts(report),
      version: report.version,
      visitedOn: c.visitedOn ? formatCalendarDate(c.visitedOn) : null,
      followUp: { needed: !!c.followUp?.needed, needs: c.followUp?.needs ?? '' },
      photos: report.photos.length,
      submittedBy: report.submittedBy ? { username: report.submittedBy.username, displayName: report.submittedBy.displayName } : null,
    };
  }

  /** The caller's visits of a campaign: the approved plan entries naming them, with their report's state, and their unplanned reports. */
  async mine(actor: Actor, campaignId: string) {
    const campaign = await this.campaigns.find(actor, campaignId);
    const colleges = campaign.colleges.filter((c) => mayActForCollege(actor, c));
    const plans = await VisitPlanModel.find({ _id: { $in: colleges.map((c) => planId(campaign._id, c)) } }).select('college approved.entries').lean();
    const mineOf = (e: PlanEntry) => e.visitors.some((v) => !!v.user && v.user.equals(actor.userId));
    const planned = plans.flatMap((p) => (p.approved?.entries ?? []).filter(mineOf).map((entry) => ({ college: p.college, entry }))).sort((a, b) => a.entry.studentNo.localeCompare(b.entry.studentNo));
    const truncated = planned.length > MINE_LIMIT;
    const shown = planned.slice(0, MINE_LIMIT);
    const ids = shown.map(({ college, entry }) => plannedReportId(campaign._id, college, entry.id));
    const fields = 'state version revision submittedAt updatedAt';
    const [reports, unplanned, directory] = await Promise.all([
      ids.length ? VisitReportModel.find({ _id: { $in: ids } }).select(fields).lean() : Promise.resolve([]),
      VisitReportModel.find({ campaign: campaign._id, unplanned: true, 'visitors.user': actor.userId }).select(`${fields} college studentNo studentName grade major className targetType mode kind reason`).sort({ _id: 1 }).limit(MINE_LIMIT).lean(),
      collegeDirectory(),
    ]);
    const byId = new Map(reports.map((r) => [r._id as string, r]));
    const stateOf = (r: { state: string; version: number; revision: number; submittedAt?: Date | null; updatedAt?: Date } | undefined, id: string) =>
      r ? { id, state: r.state, stateZh: REPORT_STATE_ZH[r.state as ReportState], version: r.version, revision: r.revision, submittedAt: r.submittedAt ?? null, updatedAt: r.updatedAt ?? null } : { id, state: 'none', stateZh: '未填写', version: 0, revision: 0, submittedAt: null, updatedAt: null };
    const items = shown.map(({ college, entry }, i) => ({
      college: { id: String(college), code: directory.get(String(college))?.code ?? null, name: directory.get(String(college))?.name ?? null },
      ...presentEntry(entry),
      report: stateOf(byId.get(ids[i]!), ids[i]!),
    }));
    const count = (state: string) => items.filter((i) => i.report.state === state).length;
    return {
      campaign: { id: String(campaign._id), title: campaign.title, state: campaign.state, visitStartsOn: formatCalendarDate(campaign.visitStartsOn), visitEndsOn: formatCalendarDate(campaign.visitEndsOn) },
      counts: { planned: items.length, none: count('none'), draft: count('draft'), submitted: count('submitted'), returned: count('returned'), unplanned: unplanned.length },
      items,
      truncated,
      unplanned: unplanned.map((r) => ({
        id: r._id as string, college: String(r.college), studentNo: r.studentNo, studentName: r.studentName, grade: r.grade, major: r.major, className: r.className ?? '',
        targetType: r.targetType, mode: r.mode, modeZh: VISIT_MODE_ZH[r.mode as VisitMode], kind: r.kind, reason: r.reason ?? '', report: stateOf(r as never, r._id as string),
      })),
    };
  }

  /** The reports of a campaign the caller may read, paged; no content, nothing sensitive. */
  async list(actor: Actor, query: { campaign: string; college?: string; state?: ReportState; unplanned?: boolean; limit: number; skip: number }) {
    const campaign = await this.campaigns.find(actor, query.campaign);
    const filter: Record<string, unknown> = { campaign: campaign._id, ...scopeFilter(actor, 'visitReport') };
    const directory = await collegeDirectory();
    if (query.college !== undefined) {
      const college = directory.get(query.college);
      if (!college) throw problems.badRequest(`Unknown college "${query.college}"`, `学院“${query.college}”不存在`, [field('college', `学院“${query.college}”不存在`, `no college "${query.college}"`, 'exists')]);
      // A college-scoped caller asking for another college sees nothing, as for any record out of scope.
      filter.college = filter.college && !college._id.equals(filter.college as Types.ObjectId) ? new Types.ObjectId() : college._id;
    }
    if (query.state) filter.state = query.state;
    if (query.unplanned !== undefined) filter.unplanned = query.unplanned;
    const fields = '-content -sealed -photos -media -fileKey -contactId';
    const { items, total } = await pageWithTotal(VisitReportModel.find(filter).select(fields).sort({ _id: 1 }).skip(query.skip).limit(query.limit).lean(), () => VisitReportModel.countDocuments(filter), query.skip, query.limit);
    return {
      items: items.map((r) => {
        const report = r as unknown as ReportRecord;
        return {
          id: report._id, college: String(report.college), collegeCode: directory.get(String(report.college))?.code ?? null, entryId: report.entryId ?? null, unplanned: report.unplanned,
          ...presentFacts(report), state: report.state, stateZh: REPORT_STATE_ZH[report.state as ReportState], version: report.version, revision: report.revision, submittedAt: report.submittedAt ?? null, updatedAt: report.updatedAt ?? null,
        };
      }),
      total,
    };
  }
}

/** The report as a write that matched it left it: what was read, the change, its revision and time. */
function written(report: ReportRecord, set: Record<string, unknown>, revision: number, at: Date): ReportRecord {
  // A field set to undefined is left out of the update (mongoose drops it), so it keeps its stored value here too.
  const applied = Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined));
  return { ...report, ...applied, revision, updatedAt: at } as ReportRecord;
}

/** The campaign's evidence rule (D7): fewest distinct photos per visit mode. */
function evidenceRule(campaign: CampaignRecord): Record<VisitMode, number> {
  return { onsite: campaign.evidence?.onsite ?? 0, video: campaign.evidence?.video ?? 0, phone: campaign.evidence?.phone ?? 0 };
}

function entryNotApproved(): ApiError {
  return new ApiError(409, 'ENTRY_NOT_APPROVED', 'A report is written only for an entry of the approved plan: this entry is not (or no longer) in it', '只能为已批准的家访计划中的条目填写报告：该条目不在（或已不在）批准的计划中', [
    field('entryId', '计划条目不在批准的家访计划中', 'not an entry of the approved plan', 'approved'),
  ]);
}

type Facts = Pick<ReportRecord, 'student' | 'studentNo' | 'studentName' | 'grade' | 'major' | 'className' | 'targetType' | 'mode' | 'kind' | 'visitors' | 'leaderVisit' | 'plannedOn'>;

function presentFactsForStorage(r: Facts) {
  return { student: r.student, studentNo: r.studentNo, studentName: r.studentName, grade: r.grade, major: r.major, className: r.className, targetType: r.targetType, mode: r.mode, kind: r.kind, visitors: r.visitors, leaderVisit: r.leaderVisit, plannedOn: r.plannedOn };
}

function presentFacts(r: Facts) {
  return {
    student: { id: String(r.student), studentNo: r.studentNo, name: r.studentName, grade: r.grade, major: r.major, className: r.className ?? '' },
    targetType: r.targetType,
    targetTypeZh: TARGET_TYPE_ZH[r.targetType],
    mode: r.mode,
    modeZh: VISIT_MODE_ZH[r.mode as VisitMode],
    kind: r.kind,
    kindZh: VISIT_KIND_ZH[r.kind],
    visitors: r.visitors.map((v) => ({ user: v.user ? String(v.user) : null, name: v.name, role: v.role, roleZh: VISITOR_ROLE_ZH[v.role as VisitorRole] })),
    leaderVisit: r.leaderVisit,
    plannedOn: r.plannedOn ? formatCalendarDate(r.plannedOn) : null,
  };
}

function presentContent(c: Partial<ReportContent> | undefined) {
  const content = c ?? {};
  return {
    visitedOn: content.visitedOn ? formatCalendarDate(content.visitedOn) : null,
    place: content.place ?? '',
    metWith: content.metWith ?? '',
    orientations: [...(content.orientations ?? [])],
    orientationsZh: (content.orientations ?? []).map((o) => ORIENTATION_ZH[o as Orientation]),
    familyState: content.familyState ?? '',
    emotionalState: content.emotionalState ?? '',
    studyState: content.studyState ?? '',
    personality: content.personality ?? '',
    safetyEducation: [...(content.safetyEducation ?? [])],
    safetyEducationZh: (content.safetyEducation ?? []).map((s) => SAFETY_TOPIC_ZH[s as SafetyTopic]),
    aidPolicies: [...(content.aidPolicies ?? [])],
    aidPoliciesZh: (content.aidPolicies ?? []).map((a) => AID_POLICY_ZH[a as AidPolicy]),
    graduateDevelopment: content.graduateDevelopment ?? '',
    loan: content.loan
      ? { repaymentIntention: content.loan.repaymentIntention ?? null, repaymentIntentionZh: content.loan.repaymentIntention ? REPAYMENT_INTENTION_ZH[content.loan.repaymentIntention as RepaymentIntention] : null, reminderGiven: !!content.loan.reminderGiven, note: content.loan.note ?? '' }
      : null,
    account: content.account ?? '',
    reflections: content.reflections ?? '',
    parentOpinion: content.parentOpinion ?? '',
    followUp: { needed: !!content.followUp?.needed, needs: content.followUp?.needs ?? '' },
  };
}
