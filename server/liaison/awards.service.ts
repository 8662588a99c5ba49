import { Types, type HydratedDocument } from 'mongoose';
import { findCollege } from '../colleges/colleges.service';
import { createOnce } from '../db/create-once';
import { publishEvent } from '../events/event-bus';
import { problems, type FieldProblem } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan, scopeFilter } from '../identity/policy';
import { staffContacts } from '../identity/staff-directory';
import type { StudentsService } from '../students/students.service';
import { AWARD_CATEGORIES, AWARD_LEVELS, AwardModel, qualifiesForGoodNews, type Award } from './award.model';
import type { ContactsService } from './contacts.service';
import { renderGoodNewsLetter, type LetterData } from './good-news-letter';
import { renderGoodNewsPdf, type LetterFont } from './good-news-pdf';
import { pageWithTotal } from '../db/page-with-total';

type AwardDoc = HydratedDocument<Award>;
export const DELIVERY_CHANNELS = ['print', 'post', 'sms', 'online', 'handDelivered'] as const;

export class AwardsService {
  constructor(
    private readonly students: StudentsService,
    private readonly contacts: ContactsService,
    private readonly letterFont: LetterFont = {},
    /** B3 "及时通报": days after recording within which the parents are to be told. */
    private readonly notifyDays = 7,
  ) {}

  /** B3: recording an award or penalty opens a notify-parents task; B5: qualifying awards get a 喜报. */
  /** `id` makes the call idempotent: recording again under the same id returns the first record, announced once. */
  async record(actor: Actor, raw: Record<string, unknown>, id?: Types.ObjectId) {
    assertCan(actor, 'awards:record');
    const found: FieldProblem[] = [];
    const kind = raw.kind === 'penalty' ? 'penalty' : raw.kind === 'award' ? 'award' : undefined;
    if (!kind) found.push({ path: 'kind', message: '类型应为 award（奖励）或 penalty（处分）', messageEn: 'kind must be award or penalty', rule: 'enum' });
    const title = typeof raw.title === 'string' ? raw.title.trim() : '';
    if (!title) found.push({ path: 'title', message: '名称为必填项', messageEn: 'title is required', rule: 'required' });
    if (!(AWARD_LEVELS as readonly unknown[]).includes(raw.level)) found.push({ path: 'level', message: `级别应为 ${AWARD_LEVELS.join('、')} 之一`, messageEn: `level must be one of ${AWARD_LEVELS.join(', ')}`, rule: 'enum' });
    if (!(AWARD_CATEGORIES as readonly unknown[]).includes(raw.category)) found.push({ path: 'category', message: `类别应为 ${AWARD_CATEGORIES.join('、')} 之一`, messageEn: `category must be one of ${AWARD_CATEGORIES.join(', ')}`, rule: 'enum' });
    const date = new Date(String(raw.date ?? ''));
    if (Number.isNaN(date.getTime())) found.push({ path: 'date', message: '日期无效', messageEn: 'date is not a valid date', rule: 'date' });
    if (found.length) throw problems.validation(found);
    const student = await this.students.findReferable(actor, String(raw.student ?? ''));
    const draft = new AwardModel({
      _id: id ?? new Types.ObjectId(),
      student: student._id,
      college: student.college,
      kind,
      title,
      level: raw.level,
      category: raw.category,
      wideImpact: raw.wideImpact === true,
      date,
      description: typeof raw.description === 'string' ? raw.description : undefined,
      recordedBy: actor.userId,
      owner: student.counselor ?? actor.userId,
    });
    draft.goodNews = qualifiesForGoodNews(draft);
    const { doc: award, created } = await createOnce(draft, () => AwardModel.findById(draft._id));
    const presented = this.present(award);
    if (!created) return presented;
    const owner = (await staffContacts([award.owner])).get(String(award.owner));
    const context = { studentNo: student.studentNo, studentName: student.name, className: student.className, ownerName: owner?.displayName ?? null, ownerEmail: owner?.email ?? null };
    await publishEvent({ type: 'award.recorded', college: award.college, payload: { ...presented, ...context } });
    if (award.goodNews) await publishEvent({ type: 'letter.ready', college: award.college, payload: { award: presented.id, ...context, title } });
    return presented;
  }

  /** Takes back an award recorded for a request that did not complete (see the forms module's recovery). */
  async discard(id: Types.ObjectId): Promise<void> {
    await AwardModel.deleteOne({ _id: id });
  }

  present(a: AwardDoc) {
    return {
      id: String(a._id),
      student: String(a.student),
      kind: a.kind,
      title: a.title,
      level: a.level,
      category: a.category,
      date: a.date,
      owner: String(a.owner),
      notifyStatus: a.notifyStatus,
      notifyClosedBy: a.notifyClosedBy ? String(a.notifyClosedBy) : null,
      goodNews: a.goodNews,
      deliveries: a.deliveries,
    };
  }

  async get(actor: Actor, id: string): Promise<AwardDoc> {
    const award = Types.ObjectId.isValid(id) ? await AwardModel.findOne({ _id: id, ...scopeFilter(actor, 'award') }) : null;
    if (!award) throw problems.notFound('Award', '奖惩记录');
    return award;
  }

  async list(actor: Actor, query: { notifyStatus?: string; student?: string; goodNews?: boolean; college?: string; owner?: string; since?: string; limit: number; skip: number }) {
    const filter: Record<string, unknown> = { ...scopeFilter(actor, 'award') };
    if (query.notifyStatus) filter.notifyStatus = query.notifyStatus;
    if (query.goodNews !== undefined) filter.goodNews = query.goodNews;
    // Narrowing only: a college other than the one the scope allows matches nothing.
    if (query.college) filter.college = filter.college && String(filter.college) !== query.college ? { $in: [] } : new Types.ObjectId(query.college);
    if (query.owner) filter.owner = new Types.ObjectId(query.owner);
    if (query.since) filter.date = { $gte: new Date(query.since) };
    // One student's records (the student page): named by archive id or number, within what the actor may name.
    if (query.student) filter.student = (await this.students.findReferable(actor, query.student))._id;
    const { items, total } = await pageWithTotal(AwardModel.find(filter).sort({ date: -1 }).skip(query.skip).limit(query.limit), () => AwardModel.countDocuments(filter), query.skip, query.limit);
    return { items: items.map((a) => this.present(a)), total };
  }

  /**
   * Open notify-parents tasks (B3) for the actor's tasks, within their scope: those they own or that are on
   * `students`, oldest first, each due `notifyDays` after it was recorded. Bounded.
   */
  async openNotificationsFor(actor: Actor, students: Types.ObjectId[], limit: number, now: Date = new Date()) {
    const mine: Record<string, unknown>[] = [{ owner: actor.userId }];
    if (students.length) mine.push({ student: { $in: students } });
    const filter = { $and: [scopeFilter(actor, 'award'), { notifyStatus: 'open', $or: mine }] };
    const found = await AwardModel.find(filter).sort({ createdAt: 1, _id: 1 }).limit(limit + 1).lean();
    const items = found.slice(0, limit).map((a) => {
      const recordedAt = (a.createdAt as Date | undefined) ?? a._id.getTimestamp();
      const dueAt = new Date(recordedAt.getTime() + this.notifyDays * 86_400_000);
      return { id: String(a._id), student: a.student, kind: a.kind, title: a.title, recordedAt, dueAt, overdue: dueAt.getTime() < now.getTime() };
    });
    return { items, total: found.length > limit ? await AwardModel.countDocuments(filter) : items.length, truncated: found.length > limit };
  }

  /** The notify-parents task closes with a contact with this student's family logged after the record. */
  async closeNotification(actor: Actor, id: string, contactId: string) {
    assertCan(actor, 'awards:record');
    const award = await this.get(actor, id);
    const contact = await this.contacts.findForStudent(actor, contactId, award.student);
    if (!contact || contact.contactedAt.getTime() < (award.createdAt as Date).getTime() - 60_000) {
      throw problems.validation([{ path: 'contact', message: '须关联记录之后与该生家长的沟通记录', messageEn: 'must name a contact with this student’s family logged after the record', rule: 'contact' }]);
    }
    award.notifyStatus = 'closed';
    award.notifyClosedBy = contact._id;
    await award.save();
    return this.present(award);
  }

  private async letterData(actor: Actor, id: string): Promise<LetterData> {
    const award = await this.get(actor, id);
    if (!award.goodNews) throw problems.notFound('Good-news letter', '喜报');
    const student = await this.students.findScoped(actor, String(award.student));
    const college = await findCollege(String(student.college));
    return { studentName: student.name, collegeName: college?.name ?? '', className: student.className, title: award.title, date: award.date, guardianName: student.guardians[0]?.name };
  }

  async letterHtml(actor: Actor, id: string): Promise<string> {
    return renderGoodNewsLetter(await this.letterData(actor, id));
  }

  async letterPdf(actor: Actor, id: string): Promise<Buffer> {
    return renderGoodNewsPdf(await this.letterData(actor, id), this.letterFont);
  }

  async recordDelivery(actor: Actor, id: string, input: { channel: string; note?: string }) {
    assertCan(actor, 'awards:record');
    if (!(DELIVERY_CHANNELS as readonly string[]).includes(input.channel)) {
      throw problems.validation([{ path: 'channel', message: `送达方式应为 ${DELIVERY_CHANNELS.join('、')} 之一`, messageEn: `channel must be one of ${DELIVERY_CHANNELS.join(', ')}`, rule: 'enum' }]);
    }
    const award = await this.get(actor, id);
    if (!award.goodNews) throw problems.notFound('Good-news letter', '喜报');
    award.deliveries.push({ channel: input.channel, at: new Date(), recordedBy: actor.userId, note: input.note });
    await award.save();
    return this.present(award);
  }
}
