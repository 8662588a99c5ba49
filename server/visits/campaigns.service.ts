import { Types } from 'mongoose';
import { academicYearOf, academicYearRange, calendarDate, formatCalendarDate, type CalendarSettings } from '../calendar/academic-calendar';
import { collegeDirectory, listColleges } from '../colleges/colleges.service';
import { publishEvent } from '../events/event-bus';
import { problems, type FieldProblem } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan, can } from '../identity/policy';
import { collegeLeadersOf, staffWithRole } from '../identity/staff-directory';
import { CampaignModel, type Campaign } from './campaign.model';
import { VisitRevisionConflict, field } from './campaign-errors';
import { formatDeadline, parseDeadline } from './deadlines';
import { percentText } from './coverage';
import type { z } from 'zod/v4';
import type { campaignPatch } from './visits.schemas';
import { BREAK_ZH, CAMPAIGN_STATE_ZH, type CampaignState } from './visit-vocabulary';
import { pageWithTotal } from '../db/page-with-total';
import { VisitReportModel } from './reports/visit-report.model';

export type CampaignInput = z.output<typeof campaignPatch>;
export type CampaignRecord = Campaign & { _id: Types.ObjectId; createdAt?: Date; updatedAt?: Date };

const DAY_MS = 86_400_000;

/** D1: home-visit campaigns of student affairs — draft → open → closed, deadlines extended per college with a record. */
export class CampaignsService {
  constructor(
    private readonly settings: { calendar: CalendarSettings; visitPhotoMinimums: { onsite: number; video: number; phone: number } },
  ) {}

  /**
   * Checks and converts the input into the campaign's fields. `base` is the stored campaign when an input
   * changes one (the rules then hold for the result as a whole).
   */
  private async resolve(input: CampaignInput, base?: CampaignRecord): Promise<Record<string, unknown>> {
    const found: FieldProblem[] = [];
    const set: Record<string, unknown> = {};
    for (const key of ['title', 'theme', 'notice', 'break', 'departments', 'leaderVisitsCount', 'approvalSteps'] as const) if (input[key] !== undefined) set[key] = input[key];
    if (input.approvalSteps && new Set(input.approvalSteps).size !== input.approvalSteps.length) found.push(field('approvalSteps', '审批步骤不能重复', 'an approval step may appear only once', 'unique'));
    if (input.coveragePercent !== undefined) set.coverageBasisPoints = Math.round(input.coveragePercent * 100);
    if (input.evidence) set.evidence = input.evidence;
    for (const key of ['visitStartsOn', 'visitEndsOn'] as const) {
      if (input[key] === undefined) continue;
      const date = calendarDate(input[key]);
      if (!date) found.push(field(key, '日期无效', `${key} is not a valid date`, 'date'));
      else set[key] = date;
    }
    for (const key of ['planDueAt', 'statisticsDueAt', 'materialsDueAt'] as const) {
      if (input[key] === undefined) continue;
      const at = parseDeadline(input[key]);
      if (!at) found.push(field(key, '时间无效，应如 2026-12-29 12:00（北京时间）', `${key} must be a time such as 2026-12-29 12:00 (Asia/Shanghai)`, 'datetime'));
      else set[key] = at;
    }
    if (input.colleges !== undefined) {
      const directory = await collegeDirectory();
      const ids: Types.ObjectId[] = [];
      input.colleges.forEach((ref, i) => {
        const college = directory.get(ref);
        if (!college) found.push(field(`colleges[${i}]`, `学院“${ref}”不存在`, `unknown college "${ref}"`, 'exists'));
        else if (!ids.some((id) => id.equals(college._id))) ids.push(college._id);
      });
      set.colleges = ids;
    } else if (!base) set.colleges = (await listColleges()).map((c) => c._id);

    const merged = { ...(base ?? {}), ...set } as Partial<CampaignRecord> & Record<string, unknown>;
    if (merged.visitStartsOn && merged.visitEndsOn && merged.visitEndsOn < merged.visitStartsOn) {
      found.push(field('visitEndsOn', '家访结束日期不能早于开始日期', 'the visit window cannot end before it starts', 'order'));
    }
    if (merged.visitStartsOn && !base?.academicYear && input.academicYear === undefined) set.academicYear = academicYearOf(new Date(merged.visitStartsOn.getTime() + DAY_MS / 2), this.settings.calendar);
    if (input.academicYear !== undefined) set.academicYear = input.academicYear;
    const year = (set.academicYear ?? base?.academicYear) as string | undefined;
    if (year && merged.visitStartsOn && merged.visitEndsOn) {
      const { start, end } = academicYearRange(year, this.settings.calendar);
      if (merged.visitStartsOn < new Date(start.getTime() - DAY_MS) || merged.visitEndsOn > end) {
        found.push(field('visitStartsOn', `家访期间应在 ${year} 学年内`, `the visit window must lie within the academic year ${year}`, 'academicYear'));
      }
    }
    if (merged.planDueAt && merged.visitEndsOn && merged.planDueAt.getTime() > merged.visitEndsOn.getTime() + DAY_MS) {
      found.push(field('planDueAt', '申报截止时间不能晚于家访结束日期', 'the plan cannot be due after the visit window ends', 'order'));
    }
    if (set.planDueAt && !merged.statisticsDueAt) set.statisticsDueAt = set.planDueAt;
    if (found.length) throw problems.validation(found);
    return set;
  }

  async create(actor: Actor, input: CampaignInput) {
    assertCan(actor, 'visits:manage');
    const set = await this.resolve(input);
    const campaign = await CampaignModel.create({ evidence: this.settings.visitPhotoMinimums, ...set, state: 'draft', revision: 1, createdBy: actor.userId });
    return this.present(campaign.toObject() as CampaignRecord);
  }

  /** A campaign the actor may see: drafts only for those who manage campaigns. */
  async find(actor: Actor, id: string): Promise<CampaignRecord> {
    assertCan(actor, 'visits:read');
    const campaign = Types.ObjectId.isValid(id) ? ((await CampaignModel.findById(id).lean()) as CampaignRecord | null) : null;
    if (!campaign || (campaign.state === 'draft' && !can(actor, 'visits:manage'))) throw problems.notFound('Visit campaign', '家访活动');
    return campaign;
  }

  async list(actor: Actor, query: { state?: CampaignState; limit: number; skip: number }) {
    assertCan(actor, 'visits:read');
    const filter: Record<string, unknown> = {};
    if (query.state) filter.state = query.state;
    if (!can(actor, 'visits:manage')) filter.state = query.state === 'draft' ? '—' : (query.state ?? { $in: ['open', 'closed'] });
    const { items, total } = await pageWithTotal(CampaignModel.find(filter).sort({ planDueAt: -1, _id: -1 }).skip(query.skip).limit(query.limit).lean(), () => CampaignModel.countDocuments(filter), query.skip, query.limit);
    return { items: items.map((c) => this.present(c as CampaignRecord)), total };
  }

  /** The campaigns open now (any member of staff may see them), earliest plan deadline first; a handful at most. */
  async openNow(limit: number): Promise<CampaignRecord[]> {
    return (await CampaignModel.find({ state: 'open' }).sort({ planDueAt: 1, _id: 1 }).limit(limit).lean()) as CampaignRecord[];
  }

  /** A point update that lands only on the revision it was decided on; otherwise 409. */
  private async write(campaign: CampaignRecord, set: Record<string, unknown>): Promise<CampaignRecord> {
    const result = await CampaignModel.updateOne({ _id: campaign._id, revision: campaign.revision }, { $set: { ...set, revision: campaign.revision + 1 } });
    if (result.matchedCount === 0) throw new VisitRevisionConflict('campaign', campaign.revision);
    return (await CampaignModel.findById(campaign._id).lean()) as CampaignRecord;
  }

  private expect(campaign: CampaignRecord, expectedRevision: number | undefined): void {
    if (expectedRevision !== undefined && expectedRevision !== campaign.revision) throw new VisitRevisionConflict('campaign', expectedRevision);
  }

  async update(actor: Actor, id: string, input: CampaignInput, expectedRevision?: number) {
    assertCan(actor, 'visits:manage');
    const campaign = await this.find(actor, id);
    this.expect(campaign, expectedRevision);
    if (campaign.state !== 'draft') {
      throw problems.conflict('Only a draft campaign can be changed; move a deadline of an open campaign with an extension', '只能修改草稿状态的家访活动；已开放的活动请为学院办理延期');
    }
    return this.present(await this.write(campaign, await this.resolve(input, campaign)));
  }

  /** draft → open: the colleges may file their plans; `campaign.opened` announces it with each college's leaders. */
  async open(actor: Actor, id: string, expectedRevision?: number) {
    assertCan(actor, 'visits:manage');
    const campaign = await this.find(actor, id);
    this.expect(campaign, expectedRevision);
    if (campaign.state !== 'draft') throw problems.conflict(`The campaign is ${campaign.state}, not a draft`, `家访活动${CAMPAIGN_STATE_ZH[campaign.state]}，不是草稿`);
    if (campaign.colleges.length === 0) throw problems.validation([field('colleges', '至少需要一个参与学院', 'at least one college must take part', 'required')]);
    const opened = await this.write(campaign, { state: 'open', openedAt: new Date() });
    const presented = this.present(opened);
    const [directory, leaders] = await Promise.all([collegeDirectory(), collegeLeadersOf(opened.colleges)]);
    const colleges = opened.colleges.map((c) => ({ id: String(c), code: directory.get(String(c))?.code ?? null, name: directory.get(String(c))?.name ?? null, leaders: leaders.get(String(c)) ?? [] }));
    await publishEvent({ type: 'campaign.opened', payload: { ...presented, colleges } });
    return presented;
  }

  async close(actor: Actor, id: string, expectedRevision?: number) {
    assertCan(actor, 'visits:manage');
    const campaign = await this.find(actor, id);
    this.expect(campaign, expectedRevision);
    if (campaign.state !== 'open') throw problems.conflict(`Only an open campaign can be closed (it is ${campaign.state})`, `只能结束进行中的家访活动（当前：${CAMPAIGN_STATE_ZH[campaign.state]}）`);
    const closed = await this.write(campaign, { state: 'closed', closedAt: new Date() });
    const presented = this.present(closed);
    await publishEvent({ type: 'campaign.closed', payload: { ...presented, colleges: await this.closingColleges(closed), studentAffairs: await staffWithRole('studentAffairs') } });
    return presented;
  }

  /** Each college at the close: its leaders, its submitted reports and where its materials package is. */
  private async closingColleges(campaign: CampaignRecord) {
    const [directory, leaders, counts] = await Promise.all([
      collegeDirectory(),
      collegeLeadersOf(campaign.colleges),
      VisitReportModel.aggregate<{ _id: Types.ObjectId; reports: number }>([{ $match: { campaign: campaign._id, state: 'submitted' } }, { $group: { _id: '$college', reports: { $sum: 1 } } }]),
    ]);
    const reports = new Map(counts.map((c) => [String(c._id), c.reports]));
    return campaign.colleges.map((c) => {
      const code = directory.get(String(c))?.code ?? String(c);
      return {
        id: String(c),
        code,
        name: directory.get(String(c))?.name ?? null,
        leaders: leaders.get(String(c)) ?? [],
        reports: reports.get(String(c)) ?? 0,
        materialsPath: `/api/visit-campaigns/${String(campaign._id)}/colleges/${encodeURIComponent(code)}/materials.zip`,
      };
    });
  }

  /** Moves the plan deadline for one college, recording who, why and until when. */
  async extend(actor: Actor, id: string, input: { college: string; until: string; reason: string }, expectedRevision?: number) {
    assertCan(actor, 'visits:manage');
    const campaign = await this.find(actor, id);
    this.expect(campaign, expectedRevision);
    if (campaign.state === 'closed') throw problems.conflict('The campaign is closed', '家访活动已结束');
    const found: FieldProblem[] = [];
    const college = (await collegeDirectory()).get(input.college);
    if (!college || !campaign.colleges.some((c) => c.equals(college._id))) found.push(field('college', `学院“${input.college}”未参加本次家访活动`, `college "${input.college}" does not take part in this campaign`, 'exists'));
    const until = parseDeadline(input.until);
    if (!until) found.push(field('until', '时间无效，应如 2026-12-31 12:00（北京时间）', 'until must be a time such as 2026-12-31 12:00 (Asia/Shanghai)', 'datetime'));
    else if (until <= campaign.planDueAt) found.push(field('until', `延期时间应晚于原截止时间（${formatDeadline(campaign.planDueAt)}）`, 'an extension must end after the campaign’s deadline', 'order'));
    if (found.length) throw problems.validation(found);
    const extension = { college: college!._id, until: until!, reason: input.reason.trim(), by: actor.userId, byName: actor.displayName, at: new Date() };
    return this.present(await this.write(campaign, { extensions: [...campaign.extensions, extension] }));
  }

  present(c: CampaignRecord) {
    return {
      id: String(c._id),
      title: c.title,
      theme: c.theme ?? '',
      notice: c.notice ?? '',
      academicYear: c.academicYear,
      break: c.break,
      breakZh: BREAK_ZH[c.break],
      visitStartsOn: formatCalendarDate(c.visitStartsOn),
      visitEndsOn: formatCalendarDate(c.visitEndsOn),
      planDueAt: c.planDueAt,
      planDueText: formatDeadline(c.planDueAt),
      statisticsDueAt: c.statisticsDueAt,
      materialsDueAt: c.materialsDueAt ?? null,
      departments: c.departments.map((d) => ({ kind: d.kind, name: d.name })),
      colleges: c.colleges.map(String),
      coveragePercent: c.coverageBasisPoints / 100,
      coverageText: percentText(c.coverageBasisPoints),
      leaderVisitsCount: c.leaderVisitsCount,
      evidence: { onsite: c.evidence?.onsite ?? 0, video: c.evidence?.video ?? 0, phone: c.evidence?.phone ?? 0 },
      approvalSteps: [...c.approvalSteps],
      extensions: c.extensions.map((e) => ({ college: String(e.college), until: e.until, untilText: formatDeadline(e.until), reason: e.reason, by: String(e.by), byName: e.byName, at: e.at })),
      state: c.state,
      stateZh: CAMPAIGN_STATE_ZH[c.state],
      revision: c.revision,
      openedAt: c.openedAt ?? null,
      closedAt: c.closedAt ?? null,
    };
  }
}
