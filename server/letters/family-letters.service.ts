import { Types } from 'mongoose';
import { collegeDirectory } from '../colleges/colleges.service';
import { pageWithTotal } from '../db/page-with-total';
import { problems } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan, can, mayReadRecord, scopeFilter } from '../identity/policy';
import { FamilyLetterModel, type FamilyLetter } from './family-letter.model';
import type { LetterCampaignsService } from './letter-campaigns.service';
import type { LetterLinks } from './letter-links';
import { letterToken } from './letter-tokens';
import { DELIVERY_STATE_ZH, LETTER_CHANNEL_ZH, type DeliveryState, type LetterChannel } from './letter-vocabulary';

type LetterRecord = FamilyLetter & { _id: string };

export interface FamilyLetterQuery {
  campaign: string;
  college?: string;
  counselor?: string;
  opened?: boolean;
  answered?: boolean;
  limit: number;
  skip: number;
}

/** B6 §5: the families' letters as staff see them (reach, call lists), and revoking a link. */
export class FamilyLettersService {
  constructor(
    private readonly campaigns: LetterCampaignsService,
    private readonly links: LetterLinks,
  ) {}

  async list(actor: Actor, query: FamilyLetterQuery) {
    assertCan(actor, 'letters:read');
    const campaign = await this.campaigns.find(actor, query.campaign);
    const filter: Record<string, unknown> = { campaign: campaign._id, ...scopeFilter(actor, 'letter') };
    if (query.college) {
      const college = (await collegeDirectory()).get(query.college);
      if (!college) return { items: [], total: 0 };
      if (filter.college && !(filter.college as Types.ObjectId).equals(college._id)) return { items: [], total: 0 };
      filter.college = college._id;
    }
    if (query.counselor) filter.counselor = filter.counselor ?? new Types.ObjectId(query.counselor);
    if (query.opened !== undefined) filter.openedAt = query.opened ? { $ne: null } : null;
    if (query.answered !== undefined) filter.answeredAt = query.answered ? { $ne: null } : null;
    const { items, total } = await pageWithTotal(FamilyLetterModel.find(filter).sort({ _id: 1 }).skip(query.skip).limit(query.limit).lean(), () => FamilyLetterModel.countDocuments(filter), query.skip, query.limit);
    const withPhones = can(actor, 'letters:manage');
    return { items: (items as LetterRecord[]).map((l) => this.present(l, withPhones)), total };
  }

  /** Progress of a campaign: its counters, and how many families opened and answered. */
  async progress(actor: Actor, id: string) {
    const campaign = await this.campaigns.find(actor, id);
    const p = campaign.progress ?? {};
    const { opened = 0, answered = 0 } = p;
    const created = p.created ?? 0;
    const pending = Math.max(0, created - (p.print ?? 0) - (p.sent ?? 0) - (p.failed ?? 0));
    return { state: campaign.state, families: p.families ?? 0, created, pending, sent: p.sent ?? 0, delivered: p.delivered ?? 0, failed: p.failed ?? 0, print: p.print ?? 0, opened, answered, lettersCreated: Boolean(campaign.lettersCreatedAt) };
  }

  /** A new link for one family; the old one opens nothing from now on. */
  async revoke(actor: Actor, letterId: string, base: string) {
    assertCan(actor, 'letters:manage');
    const letter = (await FamilyLetterModel.findById(letterId).lean()) as LetterRecord | null;
    if (!letter || !mayReadRecord(actor, 'letter', letter)) throw problems.notFound('Letter', '信件');
    const campaign = await this.campaigns.find(actor, String(letter.campaign));
    if (campaign.state === 'closed' || !campaign.tokenKey) throw problems.conflict('The campaign is closed; its links stay closed', '信件已结束，链接不能再启用');
    const key = this.links.openKey(campaign.tokenKey);
    const version = letter.tokenVersion + 1;
    const changed = await FamilyLetterModel.updateOne({ _id: letter._id, tokenVersion: letter.tokenVersion }, { $set: { tokenVersion: version, tokenHash: letterToken(key, letter._id, version).hash, tokenRevokedAt: new Date() } });
    if (changed.modifiedCount !== 1) throw problems.conflict('The link was just renewed by someone else; reload the letter', '链接刚被他人更新，请刷新后重试');
    return { id: letter._id, link: this.links.linkOf(base, key, letter._id, version) };
  }

  present(l: LetterRecord, withPhones: boolean) {
    return {
      id: l._id,
      campaign: String(l.campaign),
      college: String(l.college),
      counselor: l.counselor ? String(l.counselor) : null,
      grade: l.grade,
      greeting: l.greeting,
      students: l.students.map(String),
      channel: l.channel,
      channelZh: LETTER_CHANNEL_ZH[l.channel as LetterChannel],
      ...(withPhones ? { phones: [...l.phones] } : {}),
      delivery: { state: l.delivery.state, stateZh: DELIVERY_STATE_ZH[l.delivery.state as DeliveryState], sentAt: l.delivery.sentAt ?? null, error: withPhones ? (l.delivery.error ?? null) : undefined },
      personalCall: l.personalCall ?? false,
      openedAt: l.openedAt ?? null,
      answeredAt: l.answeredAt ?? null,
      feedbacks: l.feedbacks ?? 0,
      remindedAt: l.remindedAt ?? null,
      calledAt: l.calledAt ?? null,
      tokenVersion: l.tokenVersion,
    };
  }
}
