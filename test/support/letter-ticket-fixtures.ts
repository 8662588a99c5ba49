import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { FamilyLetterModel } from '../../server/letters/family-letter.model';
import { FeedbackTicketModel } from '../../server/letters/feedback-ticket.model';
import { LetterCampaignModel } from '../../server/letters/letter-campaign.model';
import type { FeedbackTopic } from '../../server/letters/letter-vocabulary';
import { UserModel } from '../../server/identity/user.model';

/**
 * Feedback tickets as the parent's feedback (POST /api/parent-letters/:token/feedback) makes them, written
 * straight into the database in the contract's shape so the staff side can be tested on its own: one
 * ticket per topic of a real family letter of a launched campaign, `_id <letter>:<submission>:<topic>`,
 * owned by the family's counselor unless another owner is named (routing), due `responseDays` working
 * days after it was received. Replace with the parent's API once both sides are merged.
 */

export interface FixtureLetter {
  _id: string;
  campaign: Types.ObjectId;
  college: Types.ObjectId;
  counselor?: Types.ObjectId | null;
  students: Types.ObjectId[];
}

/** The letters of a launched campaign (of one college, and one counselor, when named), first by id. */
export async function lettersOf(campaign: string, where: { college?: Types.ObjectId; counselor?: Types.ObjectId } = {}, limit = 20): Promise<FixtureLetter[]> {
  return FamilyLetterModel.find({ campaign, ...where }).sort({ _id: 1 }).limit(limit).select('campaign college counselor students').lean<FixtureLetter[]>();
}

/** `days` working days (Monday–Friday, Asia/Shanghai) after `at`. */
export function workingDaysAfter(at: Date, days: number): Date {
  let day = DateTime.fromJSDate(at).setZone('Asia/Shanghai');
  for (let left = days; left > 0; ) {
    day = day.plus({ days: 1 });
    if (day.weekday <= 5) left -= 1;
  }
  return day.toJSDate();
}

export interface TicketFixture {
  topic?: FeedbackTopic;
  text?: string;
  /** Whom a routing rule named; default the family's counselor. */
  owner?: Types.ObjectId;
  receivedAt?: Date;
  /** Default: receivedAt + the campaign's responseDays working days. */
  dueAt?: Date;
  contactWish?: { wanted: boolean; phone?: string; when?: string };
  submissionId?: string;
}

/** One ticket of the letter, as the parent's feedback makes it; answers its id. */
export async function feedbackTicket(letter: FixtureLetter, fixture: TicketFixture = {}): Promise<string> {
  const topic = fixture.topic ?? 'teaching';
  const ownerId = fixture.owner ?? letter.counselor;
  if (!ownerId) throw new Error(`letter ${letter._id} has no counselor; name the owner`);
  const [owner, campaign] = await Promise.all([UserModel.findById(ownerId).select('displayName').lean(), LetterCampaignModel.findById(letter.campaign).select('responseDays').lean()]);
  if (!owner || !campaign) throw new Error('owner or campaign not found');
  const receivedAt = fixture.receivedAt ?? new Date();
  const id = `${letter._id}:${fixture.submissionId ?? randomUUID()}:${topic}`;
  await FeedbackTicketModel.create({
    _id: id,
    campaign: letter.campaign,
    letter: letter._id,
    college: letter.college,
    counselor: letter.counselor ?? undefined,
    topic,
    text: fixture.text ?? '希望学校多组织家长开放日，了解孩子的课堂学习情况。',
    contactWish: fixture.contactWish ?? { wanted: false },
    owner: ownerId,
    ownerName: owner.displayName,
    routedBy: fixture.owner && letter.counselor && !fixture.owner.equals(letter.counselor) ? `rule:${topic}` : 'counselor',
    receivedAt,
    dueAt: fixture.dueAt ?? workingDaysAfter(receivedAt, (campaign as { responseDays?: number }).responseDays ?? 5),
    state: 'open',
    responses: [],
    followThrough: [],
    reopenings: [],
    revision: 1,
  });
  return id;
}

/** The parent says the answer did not help (POST …/tickets/:id/reopen): open again, a reopening, a new due date. */
export async function reopenTicket(id: string, reason = '问题还没有解决'): Promise<void> {
  const at = new Date();
  await FeedbackTicketModel.updateOne(
    { _id: id, state: { $in: ['responded', 'closed'] } },
    { $set: { state: 'open', dueAt: workingDaysAfter(at, 5) }, $unset: { closedAt: 1, closedBy: 1, remindedAt: 1, escalatedAt: 1 }, $push: { reopenings: { reason, at } }, $inc: { revision: 1 } },
  );
}
