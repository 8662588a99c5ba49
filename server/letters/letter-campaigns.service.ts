import { Types } from 'mongoose';
import type { z } from 'zod/v4';
import { academicYearOf, type CalendarSettings } from '../calendar/academic-calendar';
import { collegeDirectory, type CollegeRef } from '../colleges/colleges.service';
import { pageWithTotal } from '../db/page-with-total';
import { problems, type FieldProblem } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan, can, isCollegeScoped, mayActForCollege } from '../identity/policy';
import { field } from '../visits/campaign-errors';
import { formatDeadline, parseDeadline } from '../visits/deadlines';
import { LetterCampaignModel, type LetterCampaign } from './letter-campaign.model';
import { LetterRevisionConflict } from './letter-errors';
import { plainText, sanitizeLetterHtml } from './letter-html';
import { LETTER_CAMPAIGN_STATE_ZH, TERM_ZH, type LetterCampaignState } from './letter-vocabulary';
import type { letterCampaignBody, letterCampaignPatch } from './letters.schemas';

export type LetterCampaignInput = z.output<typeof letterCampaignPatch> & Partial<Pick<z.output<typeof letterCampaignBody>, 'template'>>;
export type LetterCampaignRecord = LetterCampaign & { _id: Types.ObjectId; createdAt?: Date; updatedAt?: Date };

const EDITABLE: readonly LetterCampaignState[] = ['draft', 'scheduled'];

/** B6 §1: term-letter campaigns — written, aimed, previewed and changed until they are sent. */
export class LetterCampaignsService {
  constructor(private readonly settings: { calendar: CalendarSettings; letterDefaults: { responseDays: number; reminderAfterDays: number } }) {}

  private async resolve(input: LetterCampaignInput, base?: LetterCampaignRecord): Promise<Record<string, unknown>> {
    const found: FieldProblem[] = [];
    const set: Record<string, unknown> = {};
    for (const key of ['title', 'term', 'academicYear', 'responseDays', 'reminderAfterDays'] as const) if (input[key] !== undefined) set[key] = input[key];
    if (input.template !== undefined) {
      const template = Types.ObjectId.isValid(input.template) ? await LetterCampaignModel.findById(input.template).lean() : null;
      if (!template) found.push(field('template', '沿用的往期信件不存在', 'the template campaign does not exist', 'exists'));
      else {
        set.html ??= template.html;
        set.channels = [...template.channels];
      }
    }
    if (input.html !== undefined) {
      set.html = sanitizeLetterHtml(input.html);
      if (input.html.trim() && !plainText(String(set.html))) found.push(field('html', '信件正文不能为空', 'the letter has no text', 'required'));
    }
    if (input.channels !== undefined) {
      if (new Set(input.channels).size !== input.channels.length) found.push(field('channels', '发送渠道不能重复', 'a channel may appear only once', 'unique'));
      set.channels = input.channels;
    }
    if (input.audience !== undefined) {
      const directory = await collegeDirectory();
      const colleges: Types.ObjectId[] = [];
      (input.audience.colleges ?? []).forEach((ref, i) => {
        const college = directory.get(ref);
        if (!college) found.push(field(`audience.colleges[${i}]`, `学院“${ref}”不存在`, `unknown college "${ref}"`, 'exists'));
        else if (!colleges.some((id) => id.equals(college._id))) colleges.push(college._id);
      });
      set.audience = { colleges, grades: [...new Set(input.audience.grades ?? [])] };
    }
    for (const key of ['sendAt', 'feedbackDueAt'] as const) {
      if (input[key] === undefined) continue;
      const at = parseDeadline(input[key]);
      if (!at) found.push(field(key, '时间无效，应如 2027-01-20 18:00（北京时间）', `${key} must be a time such as 2027-01-20 18:00 (Asia/Shanghai)`, 'datetime'));
      else set[key] = at;
    }
    const merged = { ...(base ?? {}), ...set } as Partial<LetterCampaignRecord>;
    if (merged.feedbackDueAt && merged.feedbackDueAt.getTime() <= (merged.sendAt ?? new Date()).getTime()) {
      found.push(field('feedbackDueAt', '反馈截止时间应晚于发送时间', 'feedback must be due after the letter is sent', 'order'));
    }
    if (found.length) throw problems.validation(found);
    return set;
  }

  async create(actor: Actor, input: LetterCampaignInput): Promise<LetterCampaignRecord> {
    assertCan(actor, 'letters:manage');
    if (input.feedbackDueAt === undefined) throw problems.validation([field('feedbackDueAt', '反馈截止时间为必填项', 'feedbackDueAt is required', 'required')]);
    const set = await this.resolve(input);
    const campaign = await LetterCampaignModel.create({
      academicYear: academicYearOf(new Date(), this.settings.calendar),
      responseDays: this.settings.letterDefaults.responseDays,
      reminderAfterDays: this.settings.letterDefaults.reminderAfterDays,
      ...set,
      state: 'draft',
      revision: 1,
      createdBy: actor.userId,
    });
    return campaign.toObject() as LetterCampaignRecord;
  }

  /** A campaign the actor may see: drafts and scheduled ones only for those who manage campaigns or write a section. */
  async find(actor: Actor, id: string): Promise<LetterCampaignRecord> {
    assertCan(actor, 'letters:read');
    const campaign = Types.ObjectId.isValid(id) ? ((await LetterCampaignModel.findById(id).lean()) as LetterCampaignRecord | null) : null;
    if (!campaign || (campaign.state === 'draft' && !can(actor, 'letters:manage') && !can(actor, 'letters:section'))) throw problems.notFound('Letter campaign', '致家长的一封信');
    return campaign;
  }

  async list(actor: Actor, query: { state?: LetterCampaignState; limit: number; skip: number }) {
    assertCan(actor, 'letters:read');
    const filter: Record<string, unknown> = {};
    if (query.state) filter.state = query.state;
    const seesDrafts = can(actor, 'letters:manage') || can(actor, 'letters:section');
    if (!seesDrafts) filter.state = query.state === 'draft' ? '—' : (query.state ?? { $in: ['scheduled', 'sending', 'open', 'closed'] });
    const { items, total } = await pageWithTotal(LetterCampaignModel.find(filter).sort({ createdAt: -1, _id: -1 }).skip(query.skip).limit(query.limit).lean(), () => LetterCampaignModel.countDocuments(filter), query.skip, query.limit);
    const directory = await collegeDirectory();
    return { items: items.map((c) => this.present(c as LetterCampaignRecord, directory)), total };
  }

  /** A point update that lands only on the revision it was decided on; otherwise 409. */
  async write(campaign: LetterCampaignRecord, set: Record<string, unknown>): Promise<LetterCampaignRecord> {
    const result = await LetterCampaignModel.updateOne({ _id: campaign._id, revision: campaign.revision }, { $set: { ...set, revision: campaign.revision + 1 } });
    if (result.matchedCount === 0) throw new LetterRevisionConflict(campaign.revision);
    return (await LetterCampaignModel.findById(campaign._id).lean()) as LetterCampaignRecord;
  }

  expect(campaign: LetterCampaignRecord, expectedRevision: number | undefined): void {
    if (expectedRevision !== undefined && expectedRevision !== campaign.revision) throw new LetterRevisionConflict(expectedRevision);
  }

  private assertEditable(campaign: LetterCampaignRecord): void {
    if (!EDITABLE.includes(campaign.state)) {
      throw problems.conflict(`A ${campaign.state} campaign can no longer be changed`, `信件${LETTER_CAMPAIGN_STATE_ZH[campaign.state]}，不能再修改`);
    }
  }

  async update(actor: Actor, id: string, input: LetterCampaignInput, expectedRevision?: number): Promise<LetterCampaignRecord> {
    assertCan(actor, 'letters:manage');
    const campaign = await this.find(actor, id);
    this.expect(campaign, expectedRevision);
    this.assertEditable(campaign);
    return this.write(campaign, await this.resolve(input, campaign));
  }

  /** A college's own section, written by its leaders (or student affairs) before the letter is sent. */
  async setSection(actor: Actor, id: string, collegeRef: string, html: string, expectedRevision?: number): Promise<LetterCampaignRecord> {
    assertCan(actor, 'letters:section');
    const campaign = await this.find(actor, id);
    this.expect(campaign, expectedRevision);
    this.assertEditable(campaign);
    const college = (await collegeDirectory()).get(collegeRef);
    if (!college || !mayActForCollege(actor, college._id)) throw problems.notFound('College', '学院');
    if (campaign.audience.colleges.length > 0 && !campaign.audience.colleges.some((c) => c.equals(college._id))) {
      throw problems.validation([field('college', `学院“${college.name}”不在本信件的发送对象中`, `college "${college.code}" is not in the letter's audience`, 'audience')]);
    }
    const sanitized = sanitizeLetterHtml(html);
    const others = campaign.collegeSections.filter((s) => !s.college.equals(college._id));
    const sections = sanitized ? [...others, { college: college._id, html: sanitized, by: actor.userId, at: new Date() }] : others;
    return this.write(campaign, { collegeSections: sections });
  }

  /** The letter as the families of one college read it: the school's text, then that college's section. */
  composedHtml(campaign: Pick<LetterCampaignRecord, 'html' | 'collegeSections'>, colleges: Types.ObjectId[]): string {
    const sections = campaign.collegeSections.filter((s) => colleges.some((c) => c.equals(s.college))).map((s) => `<section class="college-section">${s.html}</section>`);
    return [campaign.html, ...sections].join('\n');
  }

  async preview(actor: Actor, id: string, collegeRef?: string) {
    const campaign = await this.find(actor, id);
    const college = collegeRef ? (await collegeDirectory()).get(collegeRef) : undefined;
    if (collegeRef && !college) throw problems.validation([field('college', `学院“${collegeRef}”不存在`, `unknown college "${collegeRef}"`, 'exists')]);
    if (college && isCollegeScoped(actor) && !mayActForCollege(actor, college._id)) throw problems.notFound('College', '学院');
    return {
      title: campaign.title,
      greeting: '张三',
      html: this.composedHtml(campaign, college ? [college._id] : []),
      feedbackDueAt: campaign.feedbackDueAt,
      feedbackDueText: formatDeadline(campaign.feedbackDueAt),
    };
  }

  present(c: LetterCampaignRecord, directory: Map<string, CollegeRef>) {
    return {
      id: String(c._id),
      title: c.title,
      academicYear: c.academicYear,
      term: c.term,
      termZh: TERM_ZH[c.term],
      html: c.html,
      collegeSections: c.collegeSections.map((s) => ({ college: String(s.college), code: directory.get(String(s.college))?.code ?? null, name: directory.get(String(s.college))?.name ?? null, html: s.html, at: s.at })),
      audience: { colleges: c.audience.colleges.map(String), grades: [...c.audience.grades] },
      channels: [...c.channels],
      sendAt: c.sendAt ?? null,
      feedbackDueAt: c.feedbackDueAt,
      feedbackDueText: formatDeadline(c.feedbackDueAt),
      responseDays: c.responseDays,
      reminderAfterDays: c.reminderAfterDays,
      state: c.state,
      stateZh: LETTER_CAMPAIGN_STATE_ZH[c.state],
      revision: c.revision,
      progress: { families: c.progress?.families ?? 0, created: c.progress?.created ?? 0, sent: c.progress?.sent ?? 0, delivered: c.progress?.delivered ?? 0, failed: c.progress?.failed ?? 0, print: c.progress?.print ?? 0 },
      launchedAt: c.launchedAt ?? null,
      lettersCreatedAt: c.lettersCreatedAt ?? null,
      sentAt: c.sentAt ?? null,
      closedAt: c.closedAt ?? null,
    };
  }

  async presentOne(c: LetterCampaignRecord) {
    return this.present(c, await collegeDirectory());
  }
}
