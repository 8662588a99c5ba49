import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { ZONE, formatCalendarDate } from '../calendar/academic-calendar';
import { collegeDirectory, type CollegeRef } from '../colleges/colleges.service';
import { publishEvent } from '../events/event-bus';
import { ApiError, problems, type FieldProblem } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan, mayActForCollege, mayReadRecord, scopeFilter } from '../identity/policy';
import { staffWithRole } from '../identity/staff-directory';
import { deciderFor } from '../identity/relayed-decision';
import type { StudentsService } from '../students/students.service';
import type { CampaignRecord, CampaignsService } from './campaigns.service';
import { VisitRevisionConflict, field } from './campaign-errors';
import { planCoverage, requiredVisits } from './coverage';
import { formatDeadline, isLate, planDeadlineFor } from './deadlines';
import { entrySignature, presentEntry, resolveEntries, type PlanEntryInput } from './plan-entries';
import { PlanRevisionModel, planRevisionId } from './plan-revision.model';
import { commitPlanWrite } from './plan-writer';
import { VisitPlanModel, planId, type Implementation, type PlanEntry, type VisitPlan } from './visit-plan.model';
import { APPROVER_ROLES, APPROVER_ROLE_ZH, CAMPAIGN_STATE_ZH, PLAN_STATE_ZH, type ApproverRole, type PlanState } from './visit-vocabulary';
import { pageWithTotal } from '../db/page-with-total';

/** A plan's content as filed (the body of `PUT …/plans/:college`). */
export type PlanInput = { entries: PlanEntryInput[]; implementation?: Partial<Implementation> };

export type PlanRecord = VisitPlan & { _id: string; createdAt?: Date; updatedAt?: Date };

interface Target {
  campaign: CampaignRecord;
  college: CollegeRef;
  id: string;
}

const IMPLEMENTATION_REQUIRED = [
  ['organization', '组织安排'],
  ['schedule', '时间安排'],
  ['safety', '安全预案'],
] as const;

/** Open campaigns considered at once for tasks (a school runs one or two per break). */
const OPEN_CAMPAIGNS = 20;
/** Submitted plans read at most for student affairs' tasks (one per college and open campaign). */
const PLANS_CANDIDATES = 1_000;

/** How many revisions a plan's history shows at most (newest first). */
const HISTORY_LIMIT = 200;

/** How many of the newest campaigns a student's page looks through for the student's planned visits. */
const STUDENT_VISIT_CAMPAIGNS = 12;

function stateConflict(plan: PlanRecord, en: string, zh: string): ApiError {
  return new ApiError(409, 'PLAN_STATE', `${en} (the plan is ${plan.state})`, `${zh}（当前：${PLAN_STATE_ZH[plan.state as PlanState]}）`);
}

/** D5: a college's visit plan per campaign — filing with the coverage check, approval step by step, amendments. */
export class PlansService {
  constructor(
    private readonly students: StudentsService,
    private readonly campaigns: CampaignsService,
  ) {}

  /** The campaign and college named by a request, if the actor may see that college's plan (else 404). */
  private async target(actor: Actor, campaignId: string, collegeRef: string): Promise<Target> {
    const campaign = await this.campaigns.find(actor, campaignId);
    const college = (await collegeDirectory()).get(collegeRef);
    if (!college || !campaign.colleges.some((c) => c.equals(college._id)) || !mayReadRecord(actor, 'visitPlan', { college: college._id })) {
      throw problems.notFound('College of this campaign', '参与本次家访活动的学院');
    }
    return { campaign, college, id: planId(campaign._id, college._id) };
  }

  private async load(id: string): Promise<PlanRecord | null> {
    return (await VisitPlanModel.findById(id).lean()) as PlanRecord | null;
  }

  private async existing(target: Target): Promise<PlanRecord> {
    const plan = await this.load(target.id);
    if (!plan) throw problems.notFound('Visit plan', '家访计划');
    return plan;
  }

  /** Filing and changing a plan: `visitPlans:write`, for the college itself, while the campaign is open. */
  private assertMayFile(actor: Actor, target: Target): void {
    assertCan(actor, 'visitPlans:write');
    if (!mayActForCollege(actor, target.college._id)) throw problems.forbidden('Only the college itself files its visit plan', '家访计划只能由本学院填报');
    if (target.campaign.state !== 'open') {
      throw new ApiError(409, 'CAMPAIGN_NOT_OPEN', `The campaign is ${target.campaign.state}: plans are filed only while it is open`, `家访活动${CAMPAIGN_STATE_ZH[target.campaign.state]}，仅在进行中可填报计划`);
    }
  }

  /** Only the approver of the step now due, within their scope (a college leader of this college). */
  private approverRole(actor: Actor, target: Target, plan: PlanRecord): ApproverRole {
    assertCan(actor, 'visitPlans:approve');
    if (plan.state !== 'submitted') throw stateConflict(plan, 'Only a submitted plan can be approved or returned', '只能审批待审批的家访计划');
    const role = target.campaign.approvalSteps[plan.step] as ApproverRole;
    if (actor.role !== role || (role === 'collegeLeader' && !mayActForCollege(actor, plan.college))) {
      throw problems.forbidden(`This step is approved by ${role === 'collegeLeader' ? 'a college leader of the plan’s college' : 'student affairs'}`, `此步骤应由${role === 'collegeLeader' ? '本学院领导' : '学工部'}审批`);
    }
    return role;
  }

  private expect(plan: PlanRecord | null, expectedRevision: number | undefined): void {
    if (expectedRevision !== undefined && expectedRevision !== (plan?.revision ?? 0)) throw new VisitRevisionConflict('plan', expectedRevision);
  }

  async get(actor: Actor, campaignId: string, collegeRef: string) {
    const target = await this.target(actor, campaignId, collegeRef);
    return this.present(target, await this.existing(target));
  }

  /**
   * Creates or changes the college's plan (its planned visits and implementation plan). A submitted plan
   * waits for its decision; an approved plan changed here is an amendment: it goes through approval again
   * while the approved version stays as it was.
   */
  async save(actor: Actor, campaignId: string, collegeRef: string, input: PlanInput, expectedRevision?: number) {
    const target = await this.target(actor, campaignId, collegeRef);
    return this.writeDraft(actor, target, await this.draft(actor, target, input, expectedRevision));
  }

  /**
   * The visit-application form's filing (附件1): the same save as `PUT …/plans/:college`, and with
   * `submit` the same submission as `POST …/submit` — every check of both made before anything is
   * written, so a refused filing changes nothing (the form keeps what was typed).
   */
  async file(actor: Actor, campaignId: string, collegeRef: string, input: PlanInput, submit: boolean, now: Date = new Date()) {
    const target = await this.target(actor, campaignId, collegeRef);
    const draft = await this.draft(actor, target, input);
    if (submit) await this.assertSubmittable(target, { college: target.college._id, entries: draft.entries, implementation: draft.implementation, firstSubmittedAt: draft.plan?.firstSubmittedAt }, now);
    const saved = await this.writeDraft(actor, target, draft);
    if (!submit) return saved;
    return { created: saved.created, plan: await this.submit(actor, campaignId, collegeRef, saved.plan.revision, now) };
  }

  /** Everything a save checks (scope, campaign open, plan not under approval, students, staff, dates), nothing written. */
  private async draft(actor: Actor, target: Target, input: PlanInput, expectedRevision?: number) {
    this.assertMayFile(actor, target);
    const plan = await this.load(target.id);
    this.expect(plan, expectedRevision);
    if (plan?.state === 'submitted') throw stateConflict(plan, 'The plan awaits approval; it can change once approved or returned', '家访计划正在审批中，批准或退回后方可修改');
    const ids = new Set([...(plan?.entries ?? []), ...(plan?.approved?.entries ?? [])].map((e) => e.id));
    const { campaign } = target;
    const entries = await resolveEntries(this.students, target.college._id, input.entries, { ids, window: { startsOn: campaign.visitStartsOn, endsOn: campaign.visitEndsOn } });
    const implementation = { ...pick(plan?.implementation ?? {}), ...input.implementation };
    return { plan, entries, implementation };
  }

  private async writeDraft(actor: Actor, target: Target, { plan, entries, implementation }: Awaited<ReturnType<PlansService['draft']>>) {
    const from: PlanState | 'new' = plan ? (plan.state as PlanState) : 'new';
    await commitPlanWrite(actor, { id: target.id, campaign: target.campaign._id, college: target.college._id, revision: plan?.revision ?? 0, action: 'save', from, to: 'draft', set: { state: 'draft', entries, implementation } });
    return { created: !plan, plan: await this.present(target, (await this.load(target.id))!) };
  }

  /**
   * What submitting asks of a plan: filed by the deadline (the college's extension if it has one) the
   * first time, ⌈rate × students⌉ distinct students of the college planned (school-leader visits counted
   * as the campaign says), and the implementation plan filled in.
   */
  private async assertSubmittable(target: Target, plan: { college: Types.ObjectId; entries: PlanEntry[]; implementation?: Partial<Implementation> | null; firstSubmittedAt?: Date | null }, now: Date): Promise<void> {
    const { campaign } = target;
    if (!plan.firstSubmittedAt) {
      const { dueAt } = planDeadlineFor(campaign, target.college._id);
      if (isLate(dueAt, now)) {
        throw new ApiError(409, 'DEADLINE_PASSED', `Plans were due by ${dueAt.toISOString()}; ask student affairs to extend the deadline for this college`, `家访计划申报已于 ${formatDeadline(dueAt)}（北京时间）截止；如需补报，请联系学工部为本学院延期`, [
          field('planDueAt', `申报截止时间为 ${formatDeadline(dueAt)}`, `due by ${dueAt.toISOString()}`, 'deadline'),
        ]);
      }
    }
    const found: FieldProblem[] = [];
    const coverage = await planCoverage(this.students, plan.college, plan.entries, { basisPoints: campaign.coverageBasisPoints, leaderVisitsCount: campaign.leaderVisitsCount });
    if (plan.entries.length === 0) found.push(field('entries', '请至少计划一次家访', 'plan at least one visit', 'required'));
    else if (!coverage.met) found.push(field('entries', coverage.message!, coverage.messageEn!, 'coverage'));
    for (const [key, zh] of IMPLEMENTATION_REQUIRED) {
      if (!plan.implementation?.[key]?.trim()) found.push(field(`implementation.${key}`, `实施方案的${zh}为必填项`, `implementation.${key} is required`, 'required'));
    }
    if (found.length) throw problems.validation(found);
  }

  /** draft/returned → submitted, when the plan passes `assertSubmittable`. */
  async submit(actor: Actor, campaignId: string, collegeRef: string, expectedRevision?: number, now: Date = new Date()) {
    const target = await this.target(actor, campaignId, collegeRef);
    this.assertMayFile(actor, target);
    const plan = await this.existing(target);
    this.expect(plan, expectedRevision);
    if (plan.state !== 'draft' && plan.state !== 'returned') {
      throw stateConflict(plan, 'Only a draft or returned plan can be submitted; change an approved plan first', '只能提交草稿或已退回的计划；已批准的计划请先修改');
    }
    const { campaign } = target;
    await this.assertSubmittable(target, plan, now);
    const revision = await commitPlanWrite(actor, {
      id: plan._id, campaign: campaign._id, college: plan.college, revision: plan.revision, action: 'submit', from: plan.state as PlanState, to: 'submitted', step: 0,
      set: { state: 'submitted', step: 0, approvals: [], submittedAt: now, firstSubmittedAt: plan.firstSubmittedAt ?? now },
    }, now);
    const presented = await this.present(target, (await this.load(plan._id))!);
    await publishEvent({ type: 'visitPlan.submitted', college: plan.college, payload: { ...(await this.eventPayload(presented, campaign)), revision, resubmitted: !!plan.firstSubmittedAt } });
    return presented;
  }

  /** The approver of the step now due approves: the next step is due, or after the last one the plan is approved. */
  async approve(actor: Actor, campaignId: string, collegeRef: string, expectedRevision?: number, onBehalfOf?: string) {
    const target = await this.target(actor, campaignId, collegeRef);
    const plan = await this.existing(target);
    const decider = await deciderFor(actor, onBehalfOf, 'visitPlans:relay');
    const role = this.approverRole(decider, target, plan);
    this.expect(plan, expectedRevision);
    const at = new Date();
    const approvals = [...plan.approvals, { step: plan.step, role, by: decider.userId, byName: decider.displayName, at, ...relayed(actor, decider) }];
    const final = plan.step + 1 >= target.campaign.approvalSteps.length;
    const set: Record<string, unknown> = final
      ? { state: 'approved', approvals, approved: { revision: plan.revision + 1, at, entries: plan.entries, implementation: plan.implementation, approvals } }
      : { step: plan.step + 1, approvals };
    await commitPlanWrite(decider, { id: plan._id, campaign: target.campaign._id, college: plan.college, revision: plan.revision, action: 'approve', from: 'submitted', to: final ? 'approved' : 'submitted', step: plan.step, role, set }, at);
    const presented = await this.present(target, (await this.load(plan._id))!);
    await publishEvent({ type: 'visitPlan.approved', college: plan.college, payload: { ...(await this.eventPayload(presented, target.campaign)), final, approvedBy: { id: String(decider.userId), username: decider.username, displayName: decider.displayName, role, ...relayed(actor, decider) } } });
    return presented;
  }

  /** The approver of the step now due returns the plan to the college, with a reason (required). */
  async returnPlan(actor: Actor, campaignId: string, collegeRef: string, reason: string | undefined, expectedRevision?: number, onBehalfOf?: string) {
    const target = await this.target(actor, campaignId, collegeRef);
    const plan = await this.existing(target);
    const decider = await deciderFor(actor, onBehalfOf, 'visitPlans:relay');
    const role = this.approverRole(decider, target, plan);
    this.expect(plan, expectedRevision);
    const text = reason?.trim() ?? '';
    if (!text) throw problems.validation([field('reason', '退回家访计划须填写原因', 'a returned plan needs a reason', 'required')]);
    const at = new Date();
    await commitPlanWrite(decider, {
      id: plan._id, campaign: target.campaign._id, college: plan.college, revision: plan.revision, action: 'return', from: 'submitted', to: 'returned', step: plan.step, role, reason: text,
      set: { state: 'returned', step: 0, approvals: [], lastReturn: { reason: text, role, by: decider.userId, byName: decider.displayName, at } },
    }, at);
    const presented = await this.present(target, (await this.load(plan._id))!);
    await publishEvent({ type: 'visitPlan.returned', college: plan.college, payload: { ...(await this.eventPayload(presented, target.campaign)), reason: text, returnedBy: { id: String(decider.userId), username: decider.username, displayName: decider.displayName, role, ...relayed(actor, decider) } } });
    return presented;
  }

  /** The plans of one campaign the actor may read, paged. */
  async list(actor: Actor, query: { campaign: string; state?: PlanState; limit: number; skip: number }) {
    const campaign = await this.campaigns.find(actor, query.campaign);
    const filter: Record<string, unknown> = { campaign: campaign._id, ...scopeFilter(actor, 'visitPlan') };
    if (query.state) filter.state = query.state;
    const { items, total } = await pageWithTotal(VisitPlanModel.find(filter).sort({ _id: 1 }).skip(query.skip).limit(query.limit).lean(), () => VisitPlanModel.countDocuments(filter), query.skip, query.limit);
    const directory = await collegeDirectory();
    return { items: items.map((p) => this.summary(campaign, p as PlanRecord, directory.get(String(p.college)))), total };
  }

  /** Every change of a plan, newest first: who, when, which transition, the reasons of returns. */
  /**
   * One student's planned visits, for the student page: the newest campaigns the actor may see (at most
   * STUDENT_VISIT_CAMPAIGNS), the plan of the student's college in each read by its `_id`, and this
   * student's entries picked in memory — one small campaign query and point reads, never a scan of plans.
   */
  async plannedVisitsOf(actor: Actor, studentRef: string) {
    const student = await this.students.findScoped(actor, studentRef);
    if (!mayReadRecord(actor, 'visitPlan', { college: student.college })) return { items: [], campaignsSearched: 0 };
    const { items: campaigns } = await this.campaigns.list(actor, { limit: STUDENT_VISIT_CAMPAIGNS, skip: 0 });
    const plans = await Promise.all(campaigns.map((c) => this.load(planId(c.id, student.college))));
    const items = campaigns.flatMap((campaign, i) => {
      const plan = plans[i];
      if (!plan) return [];
      const approvedSignatures = new Map((plan.approved?.entries ?? []).map((e) => [e.id, entrySignature(e)]));
      return plan.entries
        .filter((e) => e.student.equals(student._id))
        .map((e) => ({
          campaign: { id: campaign.id, title: campaign.title, state: campaign.state, visitStartsOn: campaign.visitStartsOn, visitEndsOn: campaign.visitEndsOn },
          plan: { state: plan.state, stateZh: PLAN_STATE_ZH[plan.state as PlanState], college: String(plan.college) },
          entry: presentEntry(e, approvedSignatures.get(e.id) === entrySignature(e) ? 'approved' : 'pending'),
        }));
    });
    return { items, campaignsSearched: campaigns.length };
  }

  async history(actor: Actor, campaignId: string, collegeRef: string) {
    const target = await this.target(actor, campaignId, collegeRef);
    const plan = await this.existing(target);
    const revisions = Array.from({ length: Math.min(plan.revision, HISTORY_LIMIT) }, (_, i) => plan.revision - i);
    const found = await Promise.all(revisions.map((r) => PlanRevisionModel.findById(planRevisionId(plan._id, r)).lean()));
    return found.filter((r) => !!r).map((r) => ({ revision: r.revision, action: r.action, from: r.from, to: r.to, step: r.step ?? null, role: r.role ?? null, reason: r.reason ?? null, at: r.at, by: r.by?.username ?? null, byName: r.by?.displayName ?? null }));
  }

  /**
   * For visit reports (issue #13): the approved entry a visit reports against, or undefined when the
   * plan has no approved version or that entry is not in it.
   */
  async approvedEntry(campaign: Types.ObjectId | string, college: Types.ObjectId | string, entryId: string): Promise<PlanEntry | undefined> {
    const plan = await this.load(planId(campaign, college));
    return plan?.approved?.entries.find((e) => e.id === entryId);
  }

  /**
   * Dashboards: each college of each open campaign — its plan's state and the distinct students planned
   * (the approved version once there is one) against ⌈rate × enrolled⌉. One read by `_id` per plan;
   * enrolment from the kept counts. No actor: the dashboard cuts the figures to its reader.
   */
  async coverageFigures() {
    const campaigns = await this.campaigns.openNow(OPEN_CAMPAIGNS);
    const rows = await Promise.all(campaigns.flatMap((campaign) => campaign.colleges.map(async (college) => {
      const plan = await this.load(planId(campaign._id, college));
      const entries = plan?.approved?.entries ?? plan?.entries ?? [];
      const coverage = await planCoverage(this.students, college, entries, { basisPoints: campaign.coverageBasisPoints, leaderVisitsCount: campaign.leaderVisitsCount });
      return {
        campaign: String(campaign._id), title: campaign.title, college: String(college), state: (plan?.state ?? 'none') as PlanState | 'none',
        enrolled: coverage.enrolled, required: coverage.required, planned: coverage.counted, approved: !!plan?.approved,
      };
    })));
    return rows;
  }

  /**
   * My tasks: the open campaigns in which the actor's college must still file its plan — nothing filed
   * yet, a draft (an amendment too) or a returned plan — with the deadline that holds for the college (the
   * campaign's or its extension; late only while never submitted). One read by `_id` per open campaign.
   */
  async toFile(actor: Actor, now: Date = new Date()) {
    const own = actor.college;
    if (!own) return [];
    const campaigns = (await this.campaigns.openNow(OPEN_CAMPAIGNS)).filter((c) => c.colleges.some((college) => college.equals(own)));
    const [plans, directory] = await Promise.all([Promise.all(campaigns.map((c) => this.load(planId(c._id, own)))), collegeDirectory()]);
    const college = directory.get(String(own));
    return campaigns.flatMap((campaign, i) => {
      const plan = plans[i];
      if (plan && plan.state !== 'draft' && plan.state !== 'returned') return [];
      const { dueAt, extension } = planDeadlineFor(campaign, own);
      return [{
        campaign: { id: String(campaign._id), title: campaign.title },
        college: { id: String(own), code: college?.code ?? String(own), name: college?.name ?? '' },
        state: (plan?.state ?? 'none') as PlanState | 'none',
        amending: !!plan?.approved,
        dueAt,
        extended: !!extension,
        overdue: !plan?.firstSubmittedAt && isLate(dueAt, now),
      }];
    });
  }

  /**
   * My tasks: submitted plans of open campaigns whose step now due is the actor's role — a college
   * leader's own college (read by `_id`), or student affairs' across the school (one query) — each due
   * when the campaign's visits start (D5: approved before visits start). Bounded.
   */
  async awaitingApprovalBy(actor: Actor, limit: number, now: Date = new Date()) {
    if (!(APPROVER_ROLES as readonly string[]).includes(actor.role)) return { items: [], total: 0, truncated: false };
    const campaigns = await this.campaigns.openNow(OPEN_CAMPAIGNS);
    const byId = new Map(campaigns.map((c) => [String(c._id), c]));
    const own = actor.college;
    const plans: PlanRecord[] = own
      ? ((await Promise.all(campaigns.filter((c) => c.colleges.some((college) => college.equals(own))).map((c) => this.load(planId(c._id, own))))).filter((p): p is PlanRecord => !!p && p.state === 'submitted'))
      : ((await VisitPlanModel.find({ campaign: { $in: campaigns.map((c) => c._id) }, state: 'submitted' }).select('-entries').sort({ _id: 1 }).limit(PLANS_CANDIDATES).lean()) as PlanRecord[]);
    const directory = await collegeDirectory();
    const due = plans
      .filter((p) => mayReadRecord(actor, 'visitPlan', p) && byId.get(String(p.campaign))?.approvalSteps[p.step] === actor.role)
      .map((p) => {
        const campaign = byId.get(String(p.campaign))!;
        const dueAt = DateTime.fromISO(formatCalendarDate(campaign.visitStartsOn), { zone: ZONE }).toJSDate();
        const college = directory.get(String(p.college));
        return {
          campaign: { id: String(campaign._id), title: campaign.title },
          college: { id: String(p.college), code: college?.code ?? String(p.college), name: college?.name ?? '' },
          amending: !!p.approved,
          submittedAt: p.submittedAt ?? null,
          dueAt,
          overdue: isLate(dueAt, now),
        };
      })
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.college.code.localeCompare(b.college.code));
    return { items: due.slice(0, limit), total: due.length, truncated: due.length > limit || plans.length >= PLANS_CANDIDATES };
  }

  /** Per college of a campaign: plan state, planned vs required, school-leader visits, the deadline that holds. */
  async overview(actor: Actor, campaignId: string) {
    const campaign = await this.campaigns.find(actor, campaignId);
    const visible = campaign.colleges.filter((c) => mayReadRecord(actor, 'visitPlan', { college: c }));
    const [enrolled, plans, directory] = await Promise.all([
      this.students.countByCollege(visible),
      Promise.all(visible.map((c) => this.load(planId(campaign._id, c)))),
      collegeDirectory(),
    ]);
    const now = new Date();
    const colleges = visible.map((college, i) => {
      const plan = plans[i];
      const students = enrolled.get(String(college)) ?? 0;
      const { dueAt, extension } = planDeadlineFor(campaign, college);
      const counts = plan ? countPlanned(plan.entries, campaign.leaderVisitsCount) : { counted: 0, leaderVisits: 0 };
      const required = requiredVisits(students, campaign.coverageBasisPoints);
      return {
        college: String(college),
        code: directory.get(String(college))?.code ?? null,
        name: directory.get(String(college))?.name ?? null,
        students,
        required,
        planned: counts.counted,
        leaderVisits: counts.leaderVisits,
        approvedPlanned: plan?.approved ? countPlanned(plan.approved.entries, campaign.leaderVisitsCount).counted : 0,
        state: plan?.state ?? 'none',
        stateZh: plan ? PLAN_STATE_ZH[plan.state as PlanState] : '未填报',
        amending: !!plan?.approved && plan.state !== 'approved',
        awaiting: plan?.state === 'submitted' ? campaign.approvalSteps[plan.step] ?? null : null,
        dueAt,
        dueText: formatDeadline(dueAt),
        extended: !!extension,
        overdue: !plan?.firstSubmittedAt && isLate(dueAt, now),
        submittedAt: plan?.firstSubmittedAt ?? null,
      };
    });
    return {
      campaign: this.campaigns.present(campaign),
      colleges,
      withoutSubmittedPlan: visible.filter((_, i) => !plans[i]?.firstSubmittedAt).map(String),
      withoutApprovedPlan: visible.filter((_, i) => !plans[i]?.approved).map(String),
    };
  }

  private coverage(campaign: CampaignRecord, plan: PlanRecord) {
    return planCoverage(this.students, plan.college, plan.entries, { basisPoints: campaign.coverageBasisPoints, leaderVisitsCount: campaign.leaderVisitsCount });
  }

  private summary(campaign: CampaignRecord, plan: PlanRecord, college?: CollegeRef) {
    const counts = countPlanned(plan.entries, campaign.leaderVisitsCount);
    return {
      id: plan._id,
      campaign: String(plan.campaign),
      college: String(plan.college),
      collegeCode: college?.code ?? null,
      collegeName: college?.name ?? null,
      state: plan.state,
      stateZh: PLAN_STATE_ZH[plan.state as PlanState],
      revision: plan.revision,
      entries: plan.entries.length,
      planned: counts.counted,
      leaderVisits: counts.leaderVisits,
      amending: !!plan.approved && plan.state !== 'approved',
      awaiting: plan.state === 'submitted' ? campaign.approvalSteps[plan.step] ?? null : null,
      submittedAt: plan.submittedAt ?? null,
      approvedAt: plan.approved?.at ?? null,
    };
  }

  async present(target: Target, plan: PlanRecord) {
    const { campaign, college } = target;
    const approvedSignatures = new Map((plan.approved?.entries ?? []).map((e) => [e.id, entrySignature(e)]));
    const approval = (e: PlanEntry) => (approvedSignatures.get(e.id) === entrySignature(e) ? 'approved' : 'pending');
    const { dueAt, extension } = planDeadlineFor(campaign, college._id);
    const role = plan.state === 'submitted' ? (campaign.approvalSteps[plan.step] as ApproverRole | undefined) : undefined;
    const entries = plan.entries.map((e) => presentEntry(e, approval(e)));
    return {
      id: plan._id,
      campaign: { id: String(campaign._id), title: campaign.title, academicYear: campaign.academicYear, break: campaign.break, state: campaign.state },
      college: { id: String(college._id), code: college.code, name: college.name },
      state: plan.state,
      stateZh: PLAN_STATE_ZH[plan.state as PlanState],
      revision: plan.revision,
      amending: !!plan.approved && plan.state !== 'approved',
      awaiting: role ? { step: plan.step, role, roleZh: APPROVER_ROLE_ZH[role] } : null,
      approvalSteps: [...campaign.approvalSteps],
      deadline: {
        dueAt,
        dueText: formatDeadline(dueAt),
        extension: extension ? { until: extension.until, reason: extension.reason, byName: extension.byName, at: extension.at } : null,
        late: !plan.firstSubmittedAt && isLate(dueAt, new Date()),
      },
      entries,
      leaderVisits: entries.filter((e) => e.leaderVisit),
      implementation: pick(plan.implementation),
      coverage: await this.coverage(campaign, plan),
      approvals: plan.approvals.map(presentApproval),
      lastReturn: plan.lastReturn ? { reason: plan.lastReturn.reason, role: plan.lastReturn.role, byName: plan.lastReturn.byName, at: plan.lastReturn.at } : null,
      approved: plan.approved
        ? { revision: plan.approved.revision, at: plan.approved.at, entries: plan.approved.entries.map((e) => presentEntry(e)), implementation: pick(plan.approved.implementation), approvals: plan.approved.approvals.map(presentApproval) }
        : null,
      firstSubmittedAt: plan.firstSubmittedAt ?? null,
      submittedAt: plan.submittedAt ?? null,
      updatedAt: plan.updatedAt ?? null,
    };
  }

  /** What a workflow needs to tell people: the plan in brief and who must act next. */
  private async eventPayload(plan: Awaited<ReturnType<PlansService['present']>>, campaign: CampaignRecord) {
    const awaiting = plan.awaiting ? await staffWithRole(plan.awaiting.role, plan.awaiting.role === 'collegeLeader' ? campaign.colleges.find((c) => String(c) === plan.college.id) : undefined) : [];
    return {
      id: plan.id,
      campaignId: plan.campaign.id,
      campaignTitle: plan.campaign.title,
      collegeId: plan.college.id,
      collegeCode: plan.college.code,
      collegeName: plan.college.name,
      state: plan.state,
      awaiting: plan.awaiting,
      approvers: awaiting,
      entries: plan.entries.length,
      coverage: { enrolled: plan.coverage.enrolled, required: plan.coverage.required, counted: plan.coverage.counted, leaderVisits: plan.coverage.leaderVisits.students },
      amending: plan.amending,
    };
  }

  /** The data of the printable application (附件1). */
  async printable(actor: Actor, campaignId: string, collegeRef: string, version: 'current' | 'approved' | undefined) {
    const target = await this.target(actor, campaignId, collegeRef);
    const plan = await this.existing(target);
    const useApproved = version === 'approved' || (version === undefined && !!plan.approved);
    if (useApproved && !plan.approved) throw problems.notFound('Approved version of the plan', '已批准的家访计划');
    const source = useApproved ? plan.approved! : plan;
    const coverage = await planCoverage(this.students, plan.college, source.entries, { basisPoints: target.campaign.coverageBasisPoints, leaderVisitsCount: target.campaign.leaderVisitsCount });
    return {
      campaign: target.campaign,
      college: target.college,
      version: useApproved ? ('approved' as const) : ('current' as const),
      state: useApproved ? ('approved' as PlanState) : (plan.state as PlanState),
      revision: useApproved ? plan.approved!.revision : plan.revision,
      entries: source.entries.map((e) => presentEntry(e)),
      implementation: pick(source.implementation),
      approvals: source.approvals.map(presentApproval),
      coverage,
    };
  }
}

/** On a decision recorded for someone else: the account that recorded it. */
function relayed(actor: Actor, decider: Actor): { relayedBy?: string } {
  return decider === actor ? {} : { relayedBy: actor.username };
}

function pick(i: Partial<Implementation> | null | undefined): Implementation {
  return { organization: i?.organization ?? '', schedule: i?.schedule ?? '', safety: i?.safety ?? '', other: i?.other ?? '' };
}

function presentApproval(a: { step: number; role: string; byName: string; at: Date; relayedBy?: string | null }) {
  return { step: a.step, role: a.role, roleZh: APPROVER_ROLE_ZH[a.role as ApproverRole], byName: a.byName, at: a.at, relayedBy: a.relayedBy ?? null };
}

/** Distinct students that count towards coverage, and school-leader visits (distinct students) apart. */
function countPlanned(entries: readonly PlanEntry[], leaderVisitsCount: boolean) {
  const counted = new Set(entries.filter((e) => leaderVisitsCount || !e.leaderVisit).map((e) => String(e.student)));
  const leaders = new Set(entries.filter((e) => e.leaderVisit).map((e) => String(e.student)));
  return { counted: counted.size, leaderVisits: leaders.size };
}
