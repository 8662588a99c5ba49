import { collegeDirectory } from '../../colleges/colleges.service';
import { pageWithTotal } from '../../db/page-with-total';
import { problems } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { assertCan, mayReadRecord, scopeFilter } from '../../identity/policy';
import type { ContactsService } from '../../liaison/contacts.service';
import { StudentModel } from '../../students/student.model';
import { bulkUpdateInChunks } from '../../db/update-in-chunks';
import { claimOnce } from '../letter-claims';
import { FamilyLetterModel, type FamilyLetter } from '../family-letter.model';
import type { FamilyLettersService } from '../family-letters.service';
import type { LetterCampaignsService } from '../letter-campaigns.service';
import type { LetterLinks } from '../letter-links';
import { OutboxBatchModel } from '../outbox-batch.model';

type LetterRecord = FamilyLetter & { _id: string };

/** Letters handed out by one reminders call. */
export const REMINDER_BATCH = 100;
const DAY_MS = 24 * 3600_000;

export const CALL_OUTCOMES = ['reached', 'noAnswer', 'wrongNumber'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export const CALL_OUTCOME_ZH: Record<CallOutcome, string> = { reached: '已接通', noAnswer: '无人接听', wrongNumber: '号码有误' };

/**
 * B6 §5, reaching the families who did not read the letter: a reminder SMS (or e-mail) once, then the
 * counselor's call list — with the families of special students, who get a personal call anyway — and
 * each call logged as a B1 contact with the family.
 */
export class LetterReach {
  constructor(
    private readonly campaigns: LetterCampaignsService,
    private readonly links: LetterLinks,
    private readonly letters: FamilyLettersService,
    private readonly contacts: ContactsService,
  ) {}

  /**
   * Up to 100 letters sent more than `reminderAfterDays` ago and not opened, each claimed by a write
   * guarded on `remindedAt` being unset: two senders asking at once never get the same family.
   */
  async claimReminders(actor: Actor, id: string, base: string) {
    assertCan(actor, 'letters:manage');
    const campaign = await this.campaigns.find(actor, id);
    if (campaign.state !== 'open' && campaign.state !== 'sending') {
      throw problems.conflict(`The campaign is ${campaign.state}; reminders go out while its letters are open`, '信件不在发送或反馈阶段，不能发送未读提醒');
    }
    if (!campaign.tokenKey) return { items: [] };
    const cutoff = new Date(Date.now() - campaign.reminderAfterDays * DAY_MS);
    const filter: Record<string, unknown> = {
      campaign: campaign._id,
      remindedAt: null,
      openedAt: null,
      channel: { $in: ['sms', 'email'] },
      'delivery.state': { $in: ['sent', 'delivered'] },
      'delivery.sentAt': { $lte: cutoff },
    };
    const claimed: LetterRecord[] = [];
    // A rival claims some of the same candidates: ask again for the rest (each round only finds unclaimed letters).
    for (let round = 0; round < 5 && claimed.length < REMINDER_BATCH; round += 1) {
      const candidates = (await FamilyLetterModel.find(filter).sort({ _id: 1 }).limit(REMINDER_BATCH - claimed.length).lean()) as LetterRecord[];
      if (candidates.length === 0) break;
      const now = new Date();
      // The claim is an insert under `<letter>:reminded` (letter-claims.ts); winners and losers both mark the letter
      // (`$min`, a bare `{_id}` filter), so a letter whose claim outlived a crash still leaves the candidates.
      const won = await Promise.all(candidates.map((l) => claimOnce(`${l._id}:reminded`, now)));
      await bulkUpdateInChunks(FamilyLetterModel, candidates.map((l) => ({ updateOne: { filter: { _id: l._id }, update: { $min: { remindedAt: now } } } })) as never[]);
      candidates.forEach((l, i) => {
        if (won[i]) claimed.push({ ...l, remindedAt: now });
      });
    }
    const key = this.links.openKey(campaign.tokenKey);
    const directory = await collegeDirectory();
    const batchIds = [...new Set(claimed.filter((l) => l.channel === 'email' && l.batch).map((l) => l.batch!))];
    const batches = batchIds.length ? await OutboxBatchModel.find({ _id: { $in: batchIds } }, { letters: 1 }).lean() : [];
    const addresses = new Map<string, string[]>();
    for (const b of batches) for (const entry of b.letters) addresses.set(entry.letter, [...entry.to]);
    return {
      items: claimed.map((l) => {
        const link = this.links.linkOf(base, key, l._id, l.tokenVersion);
        const college = directory.get(String(l.college));
        return {
          letter: l._id,
          channel: l.channel,
          to: l.channel === 'email' ? (addresses.get(l._id) ?? []) : [...l.phones],
          greeting: l.greeting,
          college: { code: college?.code ?? null, name: college?.name ?? null },
          title: campaign.title,
          link,
          text: `尊敬的${l.greeting}同学家长：学校《致家长的一封信》（${campaign.title}）您还没有阅读，请点击阅读并留下您的意见建议：${link}`,
          remindedAt: l.remindedAt,
        };
      }),
    };
  }

  /**
   * The families to call, in the caller's scope (a counselor: the families they look after): reminded
   * and still not opened, and the families of special students; a family leaves the list once called.
   */
  async callList(actor: Actor, query: { campaign: string; limit: number; skip: number }) {
    assertCan(actor, 'letters:read');
    const campaign = await this.campaigns.find(actor, query.campaign);
    const filter: Record<string, unknown> = {
      campaign: campaign._id,
      calledAt: null,
      ...scopeFilter(actor, 'letter'),
      $or: [{ remindedAt: { $ne: null }, openedAt: null }, { personalCall: true }],
    };
    const { items, total } = await pageWithTotal(FamilyLetterModel.find(filter).sort({ _id: 1 }).skip(query.skip).limit(query.limit).lean(), () => FamilyLetterModel.countDocuments(filter), query.skip, query.limit);
    return {
      items: (items as LetterRecord[]).map((l) => ({
        ...this.letters.present(l, true),
        reason: l.remindedAt && !l.openedAt ? 'unread' : 'personalCall',
        reasonZh: l.remindedAt && !l.openedAt ? '提醒后仍未阅读' : '特别关注学生家庭',
      })),
      total,
    };
  }

  /** A call made: `calledAt` on the letter and a B1 contact (channel phone) for the family's first student. */
  async recordCall(actor: Actor, letterId: string, input: { outcome: CallOutcome; note?: string }) {
    assertCan(actor, 'letters:read');
    assertCan(actor, 'contacts:write');
    const letter = (await FamilyLetterModel.findById(letterId).lean()) as LetterRecord | null;
    if (!letter || !mayReadRecord(actor, 'letter', letter)) throw problems.notFound('Letter', '信件');
    const campaign = await this.campaigns.find(actor, String(letter.campaign));
    const first = letter.students[0];
    if (!first) throw problems.notFound('Student', '学生');
    const student = await StudentModel.findById(first, { guardians: 1 }).lean();
    const guardians = (student?.guardians ?? []) as Array<{ name?: string | null; phone?: string | null }>;
    const digits = (p?: string | null) => String(p ?? '').replace(/\D/g, '').slice(-11);
    const called = guardians.find((g) => g.phone && letter.phones.some((p) => digits(p) === digits(g.phone))) ?? guardians[0];
    const note = input.note?.trim() ?? '';
    const outcome = CALL_OUTCOME_ZH[input.outcome];
    const at = new Date();
    const contact = await this.contacts.log(actor, {
      student: String(first),
      guardianName: (called?.name || '家长').slice(0, 30),
      channel: 'phone',
      topics: ['conduct'],
      summary: `《致家长的一封信》（${campaign.title}）电话联系：${outcome}${note ? `。${note}` : ''}`.slice(0, 3000),
      parentFeedback: (input.outcome === 'reached' && note ? note : outcome).slice(0, 3000),
      followUps: [],
      contactedAt: at,
    });
    await FamilyLetterModel.updateOne({ _id: letter._id }, { $set: { calledAt: at } });
    return { letter: letter._id, outcome: input.outcome, outcomeZh: outcome, calledAt: at, contact };
  }
}
