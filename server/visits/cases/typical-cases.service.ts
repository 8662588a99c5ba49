import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { collegeDirectory } from '../../colleges/colleges.service';
import { commitClaimedWrite } from '../../db/revision-claims';
import { fileIdFromUrl, fileIdOf } from '../../files/file-reference';
import type { FileStore } from '../../files/file-store';
import { attachFiles } from '../../files/files.service';
import { StoredFileModel } from '../../files/stored-file.model';
import { ApiError, problems, type FieldProblem } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { assertCan, isCollegeScoped, mayActForCollege, mayReadRecord, scopeFilter } from '../../identity/policy';
import type { StudentsService } from '../../students/students.service';
import { formatCalendarDate } from '../../calendar/academic-calendar';
import { field } from '../campaign-errors';
import { CampaignModel } from '../campaign.model';
import type { CampaignsService } from '../campaigns.service';
import { VisitReportModel } from '../reports/visit-report.model';
import { VISIT_MODE_ZH, type VisitMode } from '../visit-vocabulary';
import { TypicalCaseModel, TypicalCaseRevisionModel, type Consent, type TypicalCase } from './typical-case.model';
import { checkCaseSources } from './typical-case-sources';
import { CHANNEL_ZH, PUBLICITY_CHANNELS, consentBadge, type PublicityChannel } from './typical-case-vocabulary';

export interface CaseInput {
  student: string;
  reports: string[];
  title: string;
  before?: string;
  after?: string;
  afterGraduation?: string;
  pictures?: string[];
}

export type CasePatch = Partial<Omit<CaseInput, 'student'>>;

export interface ConsentInput {
  channels: PublicityChannel[];
  /** The student's own consent: always required. */
  student: true;
  guardian?: { name: string; relation?: string } | null;
  /** The family (parents, home) is shown in the case: the guardian must consent too. */
  familyAppears?: boolean;
  evidence?: string | null;
  note?: string;
}

/** Most cases one list answers. */
export const TYPICAL_CASE_LIST_LIMIT = 200;
const ADULT_AGE = 18;

const notFound = () => problems.notFound('Typical case', '典型案例');

export class TypicalCaseRevisionConflict extends ApiError {
  constructor(expected: number) {
    super(409, 'REVISION_CONFLICT', `The typical case was changed by someone else after revision ${expected}; reload it and try again`, `典型案例在版本 ${expected} 之后已被他人修改，请刷新后重试`, [
      field('revision', `典型案例已更新，当前版本不是 ${expected}`, `the case is no longer at revision ${expected}`, 'revision'),
    ]);
  }
}

/** The consents in force: recorded and not withdrawn. */
export function currentConsents(c: Pick<TypicalCase, 'consents'>): Consent[] {
  return c.consents.filter((consent) => !consent.withdrawn);
}

/** The channels the consents in force cover. */
export function consentedChannels(c: Pick<TypicalCase, 'consents'>): Set<PublicityChannel> {
  return new Set(currentConsents(c).flatMap((consent) => consent.channels as PublicityChannel[]));
}

const fileIdOfRef = (ref: string): string | undefined => (/^[0-9a-f]{24}$/.test(ref) ? ref : (fileIdFromUrl(ref) ?? fileIdOf({ url: ref })));

/**
 * D9 typical cases (典型案例): a college's example of a student's growth, drawn on that student's visit
 * reports, edited as the student's path goes on (after graduation, later), published only within the
 * consent recorded for it — student and, where needed, guardian — and never after it was withdrawn.
 */
export class TypicalCasesService {
  constructor(
    private readonly students: StudentsService,
    private readonly campaigns: CampaignsService,
    private readonly store: FileStore,
  ) {}

  private async load(id: string): Promise<TypicalCase | null> {
    return (await TypicalCaseModel.findById(id).lean()) as TypicalCase | null;
  }

  /** A case the actor may read (else 404): read by `_id`, the scope checked in memory. */
  async readable(actor: Actor, id: string): Promise<TypicalCase> {
    assertCan(actor, 'visits:read');
    const found = await this.load(id);
    if (!found || !mayReadRecord(actor, 'typicalCase', found)) throw notFound();
    return found;
  }

  /** Writers: the counselors and leaders of the college; student affairs for every college. */
  private assertMayWrite(actor: Actor, college: Types.ObjectId): void {
    assertCan(actor, 'contacts:write');
    const collegeStaff = isCollegeScoped(actor) && mayActForCollege(actor, college) && (actor.role === 'counselor' || actor.role === 'collegeLeader');
    if (!collegeStaff && isCollegeScoped(actor)) {
      throw problems.forbidden('Only the counselors and leaders of the college write its typical cases', '典型案例只能由本学院辅导员或学院领导编写');
    }
  }

  private commit(actor: Actor, c: { _id: string; college: Types.ObjectId; revision: number }, action: string, set: Record<string, unknown>, expectedRevision?: number): Promise<number> {
    if (expectedRevision !== undefined && expectedRevision !== c.revision) throw new TypicalCaseRevisionConflict(expectedRevision);
    return commitClaimedWrite(TypicalCaseRevisionModel, TypicalCaseModel as never, actor, { id: c._id, college: c.college, revision: c.revision, action, set }, () => new TypicalCaseRevisionConflict(c.revision));
  }

  async create(actor: Actor, input: CaseInput) {
    assertCan(actor, 'contacts:write');
    const student = await this.students.findReferable(actor, input.student);
    this.assertMayWrite(actor, student.college);
    const sources = await checkCaseSources(actor, student._id, input.reports, input.pictures ?? []);
    if (sources.problems.length) throw problems.validation(sources.problems);
    const id = new Types.ObjectId().toHexString();
    await commitClaimedWrite(TypicalCaseRevisionModel, TypicalCaseModel as never, actor, {
      id, college: student.college, revision: 0, action: 'create',
      set: {
        college: student.college, student: student._id, studentNo: student.studentNo, studentName: student.name, reports: sources.reports, campaigns: sources.campaigns,
        title: input.title.trim(), before: input.before?.trim() ?? '', after: input.after?.trim() ?? '', afterGraduation: input.afterGraduation?.trim() ?? '', pictures: input.pictures ?? [],
        consents: [], fileKey: new Types.ObjectId(), createdBy: actor.userId, createdByName: actor.displayName ?? actor.username,
      },
    }, () => new TypicalCaseRevisionConflict(0));
    return this.present(actor, (await this.load(id))!);
  }

  async get(actor: Actor, id: string) {
    return this.present(actor, await this.readable(actor, id));
  }

  /** Edits the text (the development after graduation is added later) and the pictures; If-Match: its ETag. */
  async update(actor: Actor, id: string, patch: CasePatch, expectedRevision?: number) {
    const current = await this.readable(actor, id);
    this.assertMayWrite(actor, current.college);
    const set: Record<string, unknown> = {};
    for (const key of ['title', 'before', 'after', 'afterGraduation'] as const) if (patch[key] !== undefined) set[key] = patch[key]!.trim();
    if (patch.reports !== undefined || patch.pictures !== undefined) {
      const sources = await checkCaseSources(actor, current.student, patch.reports ?? current.reports, patch.pictures ?? current.pictures);
      if (sources.problems.length) throw problems.validation(sources.problems);
      Object.assign(set, { reports: sources.reports, campaigns: sources.campaigns, pictures: patch.pictures ?? current.pictures });
    }
    await this.commit(actor, current, 'edit', set, expectedRevision);
    return this.present(actor, (await this.load(id))!);
  }

  /** Records a consent: the student's, the guardian's where the student is a minor or the family appears; the signed form optional. */
  async recordConsent(actor: Actor, id: string, input: ConsentInput, expectedRevision?: number, now: Date = new Date()) {
    const current = await this.readable(actor, id);
    this.assertMayWrite(actor, current.college);
    const found: FieldProblem[] = [];
    const student = await this.students.findReferable(actor, String(current.student));
    const age = student.birthDate ? DateTime.fromJSDate(now).diff(DateTime.fromJSDate(student.birthDate), 'years').years : ADULT_AGE;
    const guardianNeeded = [...(age < ADULT_AGE ? ['minor' as const] : []), ...(input.familyAppears ? ['family' as const] : [])];
    if (guardianNeeded.length && !input.guardian?.name.trim()) {
      const why = guardianNeeded.map((w) => (w === 'minor' ? '学生未满 18 周岁' : '案例涉及家庭成员')).join('且');
      const whyEn = guardianNeeded.map((w) => (w === 'minor' ? 'the student is under 18' : 'the family appears in the case')).join(' and ');
      found.push(field('guardian', `${why}，须同时记录监护人的同意`, `${whyEn}: the guardian's consent is needed too`, 'required'));
    }
    let evidence: string | null = null;
    if (input.evidence) {
      evidence = fileIdOfRef(input.evidence) ?? null;
      if (!evidence) found.push(field('evidence', '应为本系统上传文件的编号或地址', 'must be the id or URL of an upload of this service', 'fileRef'));
    }
    if (found.length) throw problems.validation(found);
    if (evidence) await attachFiles(actor, [evidence], { _id: current.fileKey, owner: current.createdBy, college: current.college });
    const consent = {
      id: new Types.ObjectId().toHexString(), channels: [...new Set(input.channels)], student: true,
      guardian: input.guardian?.name.trim() ? { name: input.guardian.name.trim(), relation: input.guardian.relation?.trim() ?? '' } : null,
      guardianNeeded, note: input.note?.trim() ?? '', evidence, recordedBy: { user: actor.userId, name: actor.displayName ?? actor.username }, recordedAt: now, withdrawn: null,
    };
    await this.commit(actor, current, 'consent', { consents: [...current.consents, consent] }, expectedRevision);
    return this.present(actor, (await this.load(id))!);
  }

  /** Withdraws every consent in force, recorded with the reason; the consents stay in the record. */
  async withdrawConsent(actor: Actor, id: string, reason: string, expectedRevision?: number, now: Date = new Date()) {
    const current = await this.readable(actor, id);
    this.assertMayWrite(actor, current.college);
    if (currentConsents(current).length === 0) {
      throw new ApiError(409, 'NO_CONSENT', 'The case has no consent in force to withdraw', '该典型案例没有可撤回的同意', [field('consents', '没有有效的同意记录', 'no consent in force', 'consent')]);
    }
    const withdrawn = { at: now, by: actor.userId, byName: actor.displayName ?? actor.username, reason: reason.trim() };
    const consents = current.consents.map((c) => (c.withdrawn ? c : { ...c, withdrawn }));
    await this.commit(actor, current, 'withdraw', { consents }, expectedRevision);
    return this.present(actor, (await this.load(id))!);
  }

  /**
   * The case for a publicity channel, if its consents in force cover that channel; else 409 naming the
   * consent that is missing (or that was withdrawn). Without consent a case stays internal.
   */
  async forPublicity(actor: Actor, id: string, channel: PublicityChannel) {
    const c = await this.readable(actor, id);
    if (!consentedChannels(c).has(channel)) throw consentMissing(c, channel);
    return this.present(actor, c);
  }

  /** The bytes of one of the case's pictures, for whoever reads the case. */
  async picture(actor: Actor, id: string, fileId: string) {
    const c = await this.readable(actor, id);
    if (!c.pictures.includes(fileId)) throw problems.notFound('Picture of this case', '该案例的图片');
    const file = await StoredFileModel.findById(fileId).select('contentType size storage location').lean();
    if (!file) throw problems.notFound('Picture of this case', '该案例的图片');
    return { contentType: file.contentType, size: file.size, stream: this.store.open(file) };
  }

  /** The cases the actor may read, newest first: of one college, or of the colleges of one campaign. */
  async list(actor: Actor, query: { campaign?: string; college?: string; limit: number; skip: number }) {
    assertCan(actor, 'visits:read');
    const filter: Record<string, unknown> = { ...scopeFilter(actor, 'typicalCase') };
    if (query.college !== undefined) {
      const college = (await collegeDirectory()).get(query.college);
      if (!college) throw problems.badRequest(`Unknown college "${query.college}"`, `学院“${query.college}”不存在`, [field('college', `学院“${query.college}”不存在`, `no college "${query.college}"`, 'exists')]);
      filter.college = filter.college && !college._id.equals(filter.college as Types.ObjectId) ? new Types.ObjectId() : college._id;
    }
    if (query.campaign !== undefined) filter.campaigns = (await this.campaigns.find(actor, query.campaign))._id;
    const limit = Math.min(query.limit, TYPICAL_CASE_LIST_LIMIT);
    const found = (await TypicalCaseModel.find(filter).sort({ createdAt: -1 }).skip(query.skip).limit(limit + 1).lean()) as TypicalCase[];
    return { items: found.slice(0, limit).map((c) => this.brief(c)), truncated: found.length > limit };
  }

  private brief(c: TypicalCase) {
    const channels = consentedChannels(c);
    return {
      id: c._id, college: String(c.college), title: c.title, student: { id: String(c.student), studentNo: c.studentNo, name: c.studentName },
      consent: { channels: PUBLICITY_CHANNELS.filter((ch) => channels.has(ch)), badge: consentBadge(channels) }, revision: c.revision, updatedAt: c.updatedAt ?? null,
    };
  }

  async present(_actor: Actor, c: TypicalCase) {
    const [college, reports] = await Promise.all([
      collegeDirectory().then((d) => d.get(String(c.college))),
      c.reports.length ? VisitReportModel.find({ _id: { $in: c.reports } }).select('campaign mode content.visitedOn visitors leaderVisit version').lean() : Promise.resolve([]),
    ]);
    const titles = new Map((c.campaigns.length ? await CampaignModel.find({ _id: { $in: c.campaigns } }).select('title').lean() : []).map((k) => [String(k._id), k.title]));
    const channels = consentedChannels(c);
    return {
      ...this.brief(c),
      college: { id: String(c.college), code: college?.code ?? null, name: college?.name ?? null },
      before: c.before, after: c.after, afterGraduation: c.afterGraduation,
      pictures: c.pictures.map((p) => ({ id: p, url: `/api/typical-cases/${c._id}/pictures/${p}` })),
      reports: reports.map((r) => ({
        id: r._id as string, campaign: { id: String(r.campaign), title: titles.get(String(r.campaign)) ?? '' }, mode: r.mode, modeZh: VISIT_MODE_ZH[r.mode as VisitMode],
        visitedOn: r.content?.visitedOn ? formatCalendarDate(r.content.visitedOn) : null, visitors: r.visitors.map((v) => v.name), leaderVisit: r.leaderVisit,
      })),
      consent: {
        channels: PUBLICITY_CHANNELS.filter((ch) => channels.has(ch)),
        badge: consentBadge(channels),
        /** What may be exported now, per channel. */
        exportable: Object.fromEntries(PUBLICITY_CHANNELS.map((ch) => [ch, channels.has(ch)])),
        history: c.consents.map((k) => ({
          id: k.id, channels: k.channels, channelsZh: (k.channels as PublicityChannel[]).map((ch) => CHANNEL_ZH[ch]), student: k.student, guardian: k.guardian ?? null, guardianNeeded: k.guardianNeeded,
          note: k.note, evidence: k.evidence ?? null, recordedBy: k.recordedBy.name, recordedAt: k.recordedAt, withdrawn: k.withdrawn ? { at: k.withdrawn.at, by: k.withdrawn.byName, reason: k.withdrawn.reason } : null,
        })),
      },
      createdBy: c.createdByName,
      createdAt: c.createdAt ?? null,
    };
  }
}

function consentMissing(c: TypicalCase, channel: PublicityChannel): ApiError {
  const withdrawn = c.consents.some((k) => k.withdrawn && (k.channels as string[]).includes(channel));
  const zh = `导出“${CHANNEL_ZH[channel]}”宣传稿须有学生本人（及需要时监护人）对“${CHANNEL_ZH[channel]}”的有效同意${withdrawn ? '：此前的同意已撤回' : '：尚未记录'}，该案例仅限内部使用`;
  const en = `Publicity for ${channel} needs a consent in force from the student (and the guardian where needed) covering ${channel}${withdrawn ? ': the consent given was withdrawn' : ': none is recorded'}; the case stays internal`;
  return new ApiError(409, 'CONSENT_REQUIRED', en, zh, [field('channel', `缺少对“${CHANNEL_ZH[channel]}”的同意`, `no consent in force covers ${channel}`, 'consent')]);
}
