import { Types } from 'mongoose';
import { collegeDirectory } from '../colleges/colleges.service';
import { insertAllowingDuplicates } from '../db/insert-allowing-duplicates';
import { bulkUpdateInChunks } from '../db/update-in-chunks';
import { problems, type FieldProblem } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan } from '../identity/policy';
import { field } from '../visits/campaign-errors';
import { FamilyLetterModel, type FamilyLetter } from './family-letter.model';
import { LetterCampaignModel } from './letter-campaign.model';
import { LetterClaimModel } from './letter-claims';
import type { LetterCampaignRecord, LetterCampaignsService } from './letter-campaigns.service';
import { publishCampaignSent } from './letter-launch';
import type { LetterLinks } from './letter-links';
import type { DeliveryState } from './letter-vocabulary';
import { OutboxBatchModel } from './outbox-batch.model';

/** A batch handed out and not fully reported after this long is handed out again (the sender died). */
const CLAIM_MS = 10 * 60_000;
/** How often a report reads a letter again after a concurrent report took its transition. */
const TRANSITION_ROUNDS = 5;
/** A transition claim whose letter was never written (its report died) is given up after this long. */
const ORPHANED_TRANSITION_MS = 60_000;

/** The claim of a letter's next delivery transition (`delivery.attempts` counts the transitions made). */
function transitionId(letter: { _id: string; delivery: { attempts?: number | null } }): string {
  return `${letter._id}:delivery:${(letter.delivery.attempts ?? 0) + 1}`;
}

type Outcome = Exclude<DeliveryState, 'pending'>;
type LetterRecord = FamilyLetter & { _id: string };

/** Which progress counter a delivery state is counted in: `sent` holds sent and delivered letters. */
function counters(state: DeliveryState): Array<'sent' | 'delivered' | 'failed'> {
  if (state === 'sent') return ['sent'];
  if (state === 'delivered') return ['sent', 'delivered'];
  if (state === 'failed') return ['failed'];
  return [];
}

/**
 * B6 §2, §5: the sender (an n8n workflow) takes letters out in batches and reports each letter's outcome.
 * A batch is claimed by incrementing the campaign's counter — a point update any engine does atomically —
 * so two senders never get the same batch; a batch whose sender vanished comes back after ten minutes.
 */
export class LetterOutbox {
  constructor(
    private readonly campaigns: LetterCampaignsService,
    private readonly links: LetterLinks,
  ) {}

  private async sendingCampaign(actor: Actor, id: string): Promise<LetterCampaignRecord> {
    assertCan(actor, 'letters:manage');
    const campaign = await this.campaigns.find(actor, id);
    if (campaign.state !== 'sending' && campaign.state !== 'open') {
      throw problems.conflict(`The campaign is ${campaign.state}; letters go out while it is sending or open`, '信件不在发送中，无法取出或登记发送结果');
    }
    return campaign;
  }

  async claim(actor: Actor, id: string, channel: 'sms' | 'email', base: string) {
    const campaign = await this.sendingCampaign(actor, id);
    if (!campaign.lettersCreatedAt || !campaign.tokenKey) return { items: [], creating: true };
    const key = this.links.openKey(campaign.tokenKey);
    const batch = (await this.nextBatch(campaign, channel)) ?? (await this.staleBatch(campaign, channel));
    if (!batch) return { items: [], creating: false };
    const stillPending = batch.fresh ? null : await this.pendingAmong(batch.letters.map((l) => l.letter));
    const directory = await collegeDirectory();
    const items = batch.letters
      .filter((l) => !stillPending || stillPending.has(l.letter))
      .map((l) => {
        const link = this.links.linkOf(base, key, l.letter, stillPending?.get(l.letter) ?? 1);
        return {
          letter: l.letter,
          channel,
          to: [...l.to],
          greeting: l.greeting,
          college: { code: directory.get(String(l.college))?.code ?? null, name: directory.get(String(l.college))?.name ?? null },
          title: campaign.title,
          link,
          text: `尊敬的${l.greeting}同学家长：学校《致家长的一封信》（${campaign.title}）已发出，请点击阅读并留下您的意见建议：${link}`,
        };
      });
    return { items, creating: false };
  }

  private async nextBatch(campaign: LetterCampaignRecord, channel: 'sms' | 'email') {
    if ((campaign.outbox?.[channel]?.claimed ?? 0) >= (campaign.outbox?.[channel]?.batches ?? 0)) return undefined;
    const after = await LetterCampaignModel.findOneAndUpdate({ _id: campaign._id }, { $inc: { [`outbox.${channel}.claimed`]: 1 } }, { returnDocument: 'after' }).lean();
    const n = (after?.outbox?.[channel]?.claimed ?? 0) - 1;
    if (n >= (after?.outbox?.[channel]?.batches ?? 0)) return undefined;
    const batch = await OutboxBatchModel.findById(`${String(campaign._id)}:${channel}:${n}`).lean();
    if (!batch) return undefined;
    await OutboxBatchModel.updateOne({ _id: batch._id }, { $set: { claimedAt: new Date() } });
    return { letters: batch.letters, fresh: true };
  }

  /** A batch handed out over ten minutes ago whose outcomes did not all arrive: claimed again, its pending letters only. */
  private async staleBatch(campaign: LetterCampaignRecord, channel: 'sms' | 'email') {
    const cutoff = new Date(Date.now() - CLAIM_MS);
    const candidates = await OutboxBatchModel.find({ campaign: campaign._id, channel, claimedAt: { $lt: cutoff } }, { claimedAt: 1, recorded: 1, letters: 1 }).limit(500).lean();
    for (const batch of candidates) {
      if ((batch.recorded ?? 0) >= batch.letters.length) continue;
      const taken = await OutboxBatchModel.updateOne({ _id: batch._id, claimedAt: batch.claimedAt }, { $set: { claimedAt: new Date() } });
      if (taken.modifiedCount === 1) return { letters: batch.letters, fresh: false };
    }
    return undefined;
  }

  /** Pending letters among these, with their token versions (point reads). */
  private async pendingAmong(ids: string[]): Promise<Map<string, number>> {
    const letters = await Promise.all(ids.map((id) => FamilyLetterModel.findById(id, { delivery: 1, tokenVersion: 1 }).lean()));
    return new Map(letters.filter((l) => l && l.delivery.state === 'pending').map((l) => [l!._id, l!.tokenVersion]));
  }

  /**
   * Records outcomes (retried reports of the same outcome change nothing); the campaign opens once nothing is
   * pending. Each change of a letter's delivery is its n-th transition, claimed as `<letter>:delivery:<n>`
   * before it is counted: of two reports that read the letter in the same state, one claims the transition
   * and the other reads the letter again and applies its outcome on top, if that still changes anything.
   */
  async record(actor: Actor, id: string, items: Array<{ letter: string; state: Outcome; error?: string }>) {
    const campaign = await this.sendingCampaign(actor, id);
    let letters = await this.deliveriesOf(items.map((i) => i.letter));
    const found: FieldProblem[] = [];
    letters.forEach((l, i) => {
      if (!l || !l.campaign.equals(campaign._id)) found.push(field(`items[${i}].letter`, '不是本次信件中的一封', 'not a letter of this campaign', 'exists'));
    });
    if (new Set(items.map((i) => i.letter)).size !== items.length) found.push(field('items', '同一封信只能出现一次', 'a letter may appear only once', 'unique'));
    if (found.length) throw problems.validation(found);

    let recorded = 0;
    let after: Parameters<LetterOutbox['openWhenAllOut']>[0] = null;
    let open = items.map((item, i) => ({ item, letter: letters[i]! }));
    for (let round = 0; open.length > 0 && round < TRANSITION_ROUNDS; round += 1) {
      const changing = open.filter(({ item, letter }) => letter.delivery.state !== item.state && letter.delivery.state !== 'delivered');
      const claimedAt = new Date();
      const claims = changing.map(({ letter }) => ({ _id: transitionId(letter), at: claimedAt }));
      const taken = await insertAllowingDuplicates(LetterClaimModel as never, claims, 'letterClaim', { lean: true });
      const updates: object[] = [];
      const delta = { sent: 0, delivered: 0, failed: 0 };
      const batches = new Map<string, number>();
      changing.forEach(({ item, letter }, k) => {
        if (taken.has(k)) return;
        const before = letter.delivery.state as DeliveryState;
        for (const c of counters(before)) delta[c] -= 1;
        for (const c of counters(item.state)) delta[c] += 1;
        if (before === 'pending' && letter.batch) batches.set(letter.batch, (batches.get(letter.batch) ?? 0) + 1);
        const set: Record<string, unknown> = { 'delivery.state': item.state };
        if (item.state === 'failed') set['delivery.error'] = item.error ?? '';
        else set['delivery.sentAt'] = claimedAt;
        if (item.state === 'delivered') set['delivery.deliveredAt'] = claimedAt;
        const unset = item.state === 'failed' ? {} : { $unset: { 'delivery.error': 1 } };
        updates.push({ updateOne: { filter: { _id: letter._id }, update: { $set: set, $inc: { 'delivery.attempts': 1 }, ...unset } } });
      });
      // The round's letters, then at once what they count for: nothing is left uncounted by a later round's failure.
      await bulkUpdateInChunks(FamilyLetterModel, updates as never[]);
      await bulkUpdateInChunks(OutboxBatchModel, [...batches].map(([batch, n]) => ({ updateOne: { filter: { _id: batch }, update: { $inc: { recorded: n } } } })) as never[]);
      if (updates.length > 0) {
        after = await LetterCampaignModel.findOneAndUpdate(
          { _id: campaign._id },
          { $inc: { 'progress.sent': delta.sent, 'progress.delivered': delta.delivered, 'progress.failed': delta.failed } },
          // FerretDB's findAndModify takes no projection.
          { returnDocument: 'after' },
        ).lean();
      }
      recorded += updates.length;
      const lost = changing.filter((_, k) => taken.has(k));
      open = [];
      if (lost.length === 0) break;
      // Another report took these transitions: once its write has landed, ours is applied on top of it.
      await this.releaseOrphanedTransitions(lost.map((c) => c.letter));
      await new Promise((resolve) => setTimeout(resolve, 20 * (round + 1)));
      letters = await this.deliveriesOf(lost.map((c) => c.item.letter));
      open = lost.map((c, k) => ({ item: c.item, letter: letters[k]! }));
    }
    const unrecorded = open.filter(({ item, letter }) => letter.delivery.state !== item.state && letter.delivery.state !== 'delivered').map(({ item }) => item.letter);
    await this.openWhenAllOut(after ?? (await LetterCampaignModel.findById(campaign._id).lean()));
    // Letters whose transition stayed taken by a report still writing: the sender reports them again.
    return { recorded, unrecorded };
  }

  private async deliveriesOf(ids: string[]): Promise<Array<LetterRecord | null>> {
    return (await Promise.all(ids.map((letter) => FamilyLetterModel.findById(letter, { campaign: 1, delivery: 1, batch: 1, channel: 1 }).lean()))) as Array<LetterRecord | null>;
  }

  /** A transition claimed by a report that died before writing the letter would block it for good: given up after a minute. */
  private async releaseOrphanedTransitions(letters: LetterRecord[]): Promise<void> {
    const ids = letters.map(transitionId);
    const claims = await Promise.all(ids.map((claim) => LetterClaimModel.findById(claim, { at: 1 }).lean()));
    const current = await this.deliveriesOf(letters.map((l) => l._id));
    for (const [k, claim] of claims.entries()) {
      const stillBefore = (current[k]?.delivery.attempts ?? 0) === (letters[k]!.delivery.attempts ?? 0);
      // Only the claim as read: one taken over meanwhile by another report (a new `at`) stays.
      if (claim && stillBefore && Date.now() - claim.at.getTime() > ORPHANED_TRANSITION_MS) await LetterClaimModel.deleteOne({ _id: claim._id, at: claim.at });
    }
  }

  private async openWhenAllOut(campaign: { _id: Types.ObjectId; state: string; lettersCreatedAt?: Date | null; progress?: { created?: number; print?: number; sent?: number; failed?: number } | null } | null): Promise<void> {
    if (!campaign || campaign.state !== 'sending' || !campaign.lettersCreatedAt) return;
    const p = campaign.progress ?? {};
    const pending = (p.created ?? 0) - (p.print ?? 0) - (p.sent ?? 0) - (p.failed ?? 0);
    if (pending > 0) return;
    const opened = await LetterCampaignModel.updateOne({ _id: campaign._id, state: 'sending' }, { $set: { state: 'open', sentAt: new Date() } });
    if (opened.modifiedCount === 1) await publishCampaignSent(campaign._id);
  }
}
