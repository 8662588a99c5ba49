import { Types } from 'mongoose';
import { isDuplicateKey } from '../../db/duplicate-key';
import { problems } from '../../http/problem';
import type { Sheet } from '../../http/xlsx-download';
import type { Actor } from '../../identity/actor';
import { mayReferTo, scopeFilter } from '../../identity/policy';
import { StudentModel } from '../../students/student.model';
import type { StudentsService } from '../../students/students.service';
import { supportErrors } from '../support-errors';
import {
  ANONYMOUS_STUDENT, FUND_KIND_LABELS, FUNDER_ACTIVITY_KIND_LABELS, FUNDER_KIND_LABELS, type FundKind, type FunderActivityKind, type FunderKind,
} from '../support-vocabulary';
import { FundAwardModel, FundLedgerModel, FundModel, FunderActivityModel, FunderModel } from './funders.model';

/** Parallel awards on one fund each take the next revision; a request gives up after this many lost races. */
const MAX_ATTEMPTS = 200;
/** A funder's report lists at most this many awards (a year's awards of one funder are far fewer). */
const REPORT_LIMIT = 5000;

type FundRecord = InstanceType<typeof FundModel>;
type AwardRecord = InstanceType<typeof FundAwardModel>;
type FunderRecord = InstanceType<typeof FunderModel>;
type FunderActivityRecord = InstanceType<typeof FunderActivityModel>;

const day = (value: string): Date => new Date(`${value.slice(0, 10)}T00:00:00.000Z`);
const dayText = (value: Date | null | undefined): string | null => (value ? value.toISOString().slice(0, 10) : null);
const ledgerId = (fund: Types.ObjectId, revision: number) => `${String(fund)}:${revision}`;
const isId = (id: string) => /^[0-9a-f]{24}$/.test(id);

export interface AwardInput {
  student: string;
  amount: number;
  date: string;
  reason: string;
  nameConsent: boolean;
}

/** Social resources (E2): funders, their scholarships and grants, the awards made from them, their activities. */
export class FundersService {
  constructor(private readonly students: StudentsService) {}

  async createFunder(actor: Actor, input: { kind: FunderKind; name: string; contact?: string; note?: string }) {
    const funder = await FunderModel.create({ ...input, createdBy: actor.userId });
    return this.presentFunder(funder);
  }

  async listFunders(query: { kind?: FunderKind; limit: number; after?: string }) {
    const filter: Record<string, unknown> = query.kind ? { kind: query.kind } : {};
    const paged = query.after ? { ...filter, _id: { $gt: new Types.ObjectId(query.after) } } : filter;
    const items = await FunderModel.find(paged).sort({ _id: 1 }).limit(query.limit);
    const total = !query.after && items.length < query.limit ? items.length : await FunderModel.countDocuments(filter);
    return { items: items.map((f) => this.presentFunder(f)), total, next: items.length === query.limit ? String(items[items.length - 1]!._id) : null };
  }

  async findFunder(id: string): Promise<FunderRecord> {
    const funder = isId(id) ? await FunderModel.findById(id) : null;
    if (!funder) throw problems.notFound('Funder', '资助方');
    return funder;
  }

  presentFunder(f: FunderRecord) {
    return { id: String(f._id), kind: f.kind, kindLabel: FUNDER_KIND_LABELS[f.kind as FunderKind], name: f.name, contact: f.contact ?? null, note: f.note ?? null };
  }

  async createFund(actor: Actor, funderId: string, input: { kind: FundKind; name: string; year: number; amount: number; criteria: string }) {
    const funder = await this.findFunder(funderId);
    const fund = await FundModel.create({ ...input, funder: funder._id, awarded: 0, revision: 1, createdBy: actor.userId });
    return this.presentFund(fund);
  }

  async listFunds(query: { year?: number; funder?: string; limit: number; after?: string }) {
    const filter: Record<string, unknown> = {};
    if (query.funder) filter.funder = new Types.ObjectId(query.funder);
    if (query.year !== undefined) filter.year = query.year;
    const paged = query.after ? { ...filter, _id: { $gt: new Types.ObjectId(query.after) } } : filter;
    const items = await FundModel.find(paged).sort({ _id: 1 }).limit(query.limit);
    const total = !query.after && items.length < query.limit ? items.length : await FundModel.countDocuments(filter);
    return { items: items.map((f) => this.presentFund(f)), total, next: items.length === query.limit ? String(items[items.length - 1]!._id) : null };
  }

  /** The fund, with an award whose ledger entry is in but whose fund total was not yet moved brought up to date. */
  async findFund(id: string): Promise<FundRecord> {
    const fund = isId(id) ? await FundModel.findById(id) : null;
    if (!fund) throw problems.notFound('Fund', '资助项目');
    if (await this.settle(fund._id, fund.revision + 1)) return (await FundModel.findById(fund._id))!;
    return fund;
  }

  presentFund(f: FundRecord) {
    return {
      id: String(f._id), funder: String(f.funder), kind: f.kind, kindLabel: FUND_KIND_LABELS[f.kind as FundKind], name: f.name, year: f.year,
      amount: f.amount, criteria: f.criteria, awarded: f.awarded, remaining: f.amount - f.awarded, revision: f.revision,
    };
  }

  /**
   * Awards from a fund never pass its amount, whatever runs in parallel: an award is decided on the fund as
   * read at revision r and made by inserting ledger entry `<fund>:<r + 1>` — unique, so of the requests that
   * read revision r exactly one makes its award; the others bring the fund up to date and decide again on
   * the new total. `id`: the award's id (a form's submission id, so that the form's award is made once).
   */
  async award(actor: Actor, fundId: string, input: AwardInput, id: Types.ObjectId = new Types.ObjectId()) {
    const already = await FundAwardModel.findById(id);
    if (already) return this.presentAward(already, true);
    const fund = await this.findFund(fundId);
    const student = await this.students.findReferable(actor, input.student);
    const date = day(input.date);
    const record = {
      fund: fund._id, funder: fund.funder, year: fund.year, student: student._id, college: student.college, studentNo: student.studentNo, studentName: student.name,
      grade: student.grade, major: student.major, amount: input.amount, date, reason: input.reason, nameConsent: input.nameConsent, createdBy: actor.userId,
    };
    let current: FundRecord | null = fund;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && current; attempt += 1) {
      const remaining = current.amount - current.awarded;
      if (input.amount > remaining) throw supportErrors.fundExceeded(remaining, input.amount);
      const revision = current.revision + 1;
      try {
        await FundLedgerModel.create({ _id: ledgerId(fund._id, revision), fund: fund._id, revision, award: id, amount: input.amount, awardedAfter: current.awarded + input.amount, record: { ...record, revision }, at: new Date() });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        await this.settle(fund._id, revision);
        current = await FundModel.findById(fund._id);
        continue;
      }
      await this.settle(fund._id, revision);
      return this.presentAward((await FundAwardModel.findById(id))!, true);
    }
    throw supportErrors.fundBusy();
  }

  /**
   * Carries out ledger entry `<fund>:<revision>` if it is there: stores its award (once, under its id) and
   * moves the fund from revision − 1 to it (a set of the total after it, so doing it twice changes nothing).
   */
  private async settle(fund: Types.ObjectId, revision: number): Promise<boolean> {
    const entry = await FundLedgerModel.findById(ledgerId(fund, revision)).lean();
    if (!entry) return false;
    try {
      await FundAwardModel.create({ _id: entry.award, ...(entry.record as object) });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    await FundModel.updateOne({ _id: fund, revision: revision - 1 }, { $set: { awarded: entry.awardedAfter, revision } });
    return true;
  }

  async listAwards(actor: Actor, fundId: string, query: { limit: number; after?: string }) {
    const fund = await this.findFund(fundId);
    const filter = { fund: fund._id, ...scopeFilter(actor, 'fundAward') };
    const paged = query.after ? { ...filter, _id: { $gt: new Types.ObjectId(query.after) } } : filter;
    const items = await FundAwardModel.find(paged).sort({ _id: 1 }).limit(query.limit);
    const total = !query.after && items.length < query.limit ? items.length : await FundAwardModel.countDocuments(filter);
    return { fund: this.presentFund(fund), items: items.map((a) => this.presentAward(a, true)), total, next: items.length === query.limit ? String(items[items.length - 1]!._id) : null };
  }

  /** Staff see the student; a funder's report names them only with their consent (else 某同学 with grade and major). */
  presentAward(a: AwardRecord, named: boolean) {
    const showName = named || a.nameConsent;
    return {
      id: String(a._id), fund: String(a.fund), funder: String(a.funder), year: a.year,
      student: showName ? { id: named ? String(a.student) : undefined, name: a.studentName, studentNo: named ? a.studentNo : undefined, grade: a.grade ?? null, major: a.major ?? null } : { name: ANONYMOUS_STUDENT, grade: a.grade ?? null, major: a.major ?? null },
      college: named ? String(a.college) : undefined,
      amount: a.amount, date: dayText(a.date), reason: a.reason, nameConsent: a.nameConsent,
    };
  }

  async logActivity(actor: Actor, funderId: string, input: { kind: FunderActivityKind; title: string; date: string; participants: number; students?: string[]; note?: string }) {
    const funder = await this.findFunder(funderId);
    const students = await this.referableStudents(actor, input.students ?? []);
    const date = day(input.date);
    const activity = await FunderActivityModel.create({ funder: funder._id, kind: input.kind, title: input.title, date, year: date.getUTCFullYear(), participants: input.participants, students, note: input.note, createdBy: actor.userId });
    return this.presentActivity(activity);
  }

  /** Students named by id or number, read in one query each way (by _id; by the unique student number). */
  private async referableStudents(actor: Actor, refs: string[]): Promise<Types.ObjectId[]> {
    if (!refs.length) return [];
    const ids = refs.filter(isId).map((r) => new Types.ObjectId(r));
    const numbers = refs.filter((r) => !isId(r));
    const [byId, byNumber] = await Promise.all([
      ids.length ? StudentModel.find({ _id: { $in: ids } }).select('college studentNo').lean() : [],
      numbers.length ? StudentModel.find({ studentNo: { $in: numbers } }).select('college studentNo').lean() : [],
    ]);
    const found = [...byId, ...byNumber].filter((student) => mayReferTo(actor, student));
    const known = new Set(found.flatMap((student) => [String(student._id), student.studentNo]));
    const missing = refs.findIndex((r) => !known.has(r));
    if (missing >= 0) throw problems.validation([{ path: `students[${missing}]`, message: `未找到学生 ${refs[missing]}`, messageEn: `no student ${refs[missing]}`, rule: 'exists' }]);
    return [...new Map(found.map((student) => [String(student._id), student._id])).values()];
  }

  presentActivity(a: FunderActivityRecord) {
    return { id: String(a._id), funder: String(a.funder), kind: a.kind, kindLabel: FUNDER_ACTIVITY_KIND_LABELS[a.kind as FunderActivityKind], title: a.title, date: dayText(a.date), year: a.year, participants: a.participants, students: a.students.length, note: a.note ?? null };
  }

  /**
   * What a funder's money did in a year, for the funder: its funds with their totals, which students
   * received what (named only with consent) and the activities held. Awards within the caller's scope.
   */
  async report(actor: Actor, funderId: string, year: number) {
    const funder = await this.findFunder(funderId);
    const [funds, awards, activities] = await Promise.all([
      FundModel.find({ funder: funder._id, year }).sort({ _id: 1 }).limit(500),
      FundAwardModel.find({ funder: funder._id, year, ...scopeFilter(actor, 'fundAward') }).sort({ date: 1, _id: 1 }).limit(REPORT_LIMIT),
      FunderActivityModel.find({ funder: funder._id, year }).sort({ date: 1, _id: 1 }).limit(1000),
    ]);
    const fundNames = new Map(funds.map((f) => [String(f._id), f.name]));
    return {
      funder: this.presentFunder(funder),
      year,
      funds: funds.map((f) => this.presentFund(f)),
      awards: awards.map((a) => ({ ...this.presentAward(a, false), fundName: fundNames.get(String(a.fund)) ?? '' })),
      activities: activities.map((a) => this.presentActivity(a)),
      totals: { funds: funds.length, amount: funds.reduce((s, f) => s + f.amount, 0), awarded: awards.reduce((s, a) => s + a.amount, 0), students: new Set(awards.map((a) => String(a.student))).size, activities: activities.length },
      truncated: awards.length === REPORT_LIMIT,
    };
  }

  reportSheets(report: Awaited<ReturnType<FundersService['report']>>): Sheet<any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    type AwardRow = (typeof report.awards)[number];
    type FundRow = (typeof report.funds)[number];
    type ActivityRow = (typeof report.activities)[number];
    const awards: Sheet<AwardRow> = {
      name: '受助学生',
      columns: [
        { header: '项目', width: 24, value: (r) => r.fundName },
        { header: '学生', value: (r) => r.student.name },
        { header: '年级', value: (r) => r.student.grade },
        { header: '专业', width: 20, value: (r) => r.student.major },
        { header: '金额（元）', value: (r) => r.amount },
        { header: '日期', value: (r) => r.date },
        { header: '事由', width: 40, value: (r) => r.reason },
      ],
      rows: report.awards,
      note: report.truncated ? `仅列出前 ${REPORT_LIMIT} 条` : undefined,
    };
    const funds: Sheet<FundRow> = {
      name: '资助项目',
      columns: [
        { header: '项目', width: 24, value: (r) => r.name },
        { header: '类型', value: (r) => r.kindLabel },
        { header: '年度', value: (r) => r.year },
        { header: '总额（元）', value: (r) => r.amount },
        { header: '已发放（元）', value: (r) => r.awarded },
        { header: '余额（元）', value: (r) => r.remaining },
        { header: '评选条件', width: 40, value: (r) => r.criteria },
      ],
      rows: report.funds,
    };
    const activities: Sheet<ActivityRow> = {
      name: '活动',
      columns: [
        { header: '活动', width: 24, value: (r) => r.title },
        { header: '类型', value: (r) => r.kindLabel },
        { header: '日期', value: (r) => r.date },
        { header: '参加人数', value: (r) => r.participants },
        { header: '备注', width: 40, value: (r) => r.note },
      ],
      rows: report.activities,
    };
    return [awards, funds, activities];
  }
}
