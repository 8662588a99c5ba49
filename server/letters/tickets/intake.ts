import type { Types } from 'mongoose';
import { addWorkingDays } from '../../calendar/working-days';
import { insertAllowingDuplicates } from '../../db/insert-allowing-duplicates';
import { publishEvent } from '../../events/event-bus';
import { ApiError, problems, type FieldProblem } from '../../http/problem';
import { FamilyLetterModel } from '../family-letter.model';
import { FeedbackTicketModel } from '../feedback-ticket.model';
import { LetterCampaignModel } from '../letter-campaign.model';
import { claimOnce, LetterClaimModel, releaseClaim } from '../letter-claims';
import { FEEDBACK_TOPIC_ZH, type FeedbackTopic } from '../letter-vocabulary';
import { resolveOwners } from './routing';

/** Feedback forms one family may send on one letter. */
export const MAX_SUBMISSIONS = 10;

export interface FeedbackInput {
  /** Made by the page once per form fill and sent again on every retry of it. */
  submissionId: string;
  items: Array<{ topic: FeedbackTopic; text: string }>;
  contactWish?: { wanted: boolean; phone?: string; when?: string };
}

export interface IntakeLetter {
  _id: string;
  campaign: Types.ObjectId;
  college: Types.ObjectId;
  counselor?: Types.ObjectId | null;
  answeredAt?: Date | null;
  feedbacks?: number | null;
}

export interface IntakeCampaign {
  _id: Types.ObjectId;
  responseDays: number;
  createdBy: Types.ObjectId;
}

export const ticketIdOf = (letterId: string, submissionId: string, topic: string): string => `${letterId}:${submissionId}:${topic}`;

export class FeedbackLimitReached extends ApiError {
  constructor() {
    super(409, 'FEEDBACK_LIMIT', `A letter takes at most ${MAX_SUBMISSIONS} feedback forms`, `每封信最多可提交 ${MAX_SUBMISSIONS} 次反馈`, [
      { path: 'submissionId', message: `已提交 ${MAX_SUBMISSIONS} 次反馈，不能再提交`, messageEn: `${MAX_SUBMISSIONS} feedback forms were sent already`, rule: 'limit' },
    ]);
  }
}

/**
 * A parent's feedback form → one ticket per topic (B6 §4). Retry-safe and concurrency-safe:
 *  - the submission takes one of the letter's ten places (takePlace), so a retry (or the same form sent twice
 *    at once) takes no other;
 *  - each ticket's `_id` is `<letter>:<submission>:<topic>`: inserted allowing duplicates, a retried form
 *    meets its own tickets and makes nothing twice; only the request that inserted a ticket announces it;
 *  - the family's first answer is claimed once (letter-claims.ts) and only then counted on the campaign.
 * Owners come from the routing rules (routing.ts); the response is due `campaign.responseDays` working days later.
 */
export async function takeFeedback(campaign: IntakeCampaign, letter: IntakeLetter, input: FeedbackInput, now = new Date()): Promise<{ created: string[] }> {
  const found: FieldProblem[] = [];
  input.items.forEach((item, i) => {
    if (input.items.findIndex((other) => other.topic === item.topic) !== i) {
      found.push({ path: `items[${i}].topic`, message: `反馈主题“${FEEDBACK_TOPIC_ZH[item.topic]}”在一次反馈中只能出现一次，请合并填写`, messageEn: `topic "${item.topic}" appears more than once in one feedback form`, rule: 'unique' });
    }
    if (!item.text.trim()) found.push({ path: `items[${i}].text`, message: '反馈内容不能为空', messageEn: `items[${i}].text is empty`, rule: 'required' });
  });
  if (found.length) throw problems.validation(found);

  const placed = await takePlace(letter, input.submissionId, now);
  await FamilyLetterModel.updateOne({ _id: letter._id }, { $addToSet: { submissions: input.submissionId }, $min: { answeredAt: now }, ...(placed === 'new' ? { $inc: { feedbacks: 1 } } : {}) });

  const owners = await resolveOwners({ college: letter.college, counselor: letter.counselor }, input.items.map((i) => i.topic), campaign.createdBy);
  const dueAt = addWorkingDays(now, campaign.responseDays);
  const contactWish = input.contactWish?.wanted ? { wanted: true, phone: input.contactWish.phone?.trim() || undefined, when: input.contactWish.when?.trim() || undefined } : { wanted: false };
  const docs = input.items.map((item) => ({
    _id: ticketIdOf(letter._id, input.submissionId, item.topic),
    campaign: campaign._id,
    letter: letter._id,
    college: letter.college,
    counselor: letter.counselor ?? undefined,
    topic: item.topic,
    text: item.text.trim(),
    contactWish,
    ...owners.get(item.topic)!,
    receivedAt: now,
    dueAt,
    state: 'open',
    revision: 1,
  }));
  const duplicates = await insertAllowingDuplicates(FeedbackTicketModel as never, docs, 'feedbackTicket');
  const created = docs.filter((_, i) => !duplicates.has(i));

  if (!letter.answeredAt && (await claimOnce(`${letter._id}:answered`, now))) await LetterCampaignModel.updateOne({ _id: campaign._id }, { $inc: { 'progress.answered': 1 } });
  for (const ticket of created) {
    await publishEvent({
      type: 'feedback.received',
      college: letter.college,
      owner: ticket.owner,
      payload: { ticket: ticket._id, letter: letter._id, campaign: String(campaign._id), college: String(letter.college), counselor: letter.counselor ? String(letter.counselor) : null, owner: String(ticket.owner), topic: ticket.topic, routedBy: ticket.routedBy, dueAt: ticket.dueAt, contactWanted: ticket.contactWish.wanted },
    });
  }
  return { created: created.map((t) => t._id) };
}

const PLACE_WAIT_MS = 3_000;

/**
 * The form claims itself (`<letter>:form:<submission>`); its first request then claims the lowest free place
 * (`<letter>:place:<n>`, n < 10) and writes the place on the form's claim, or gives the form claim back and
 * refuses when all ten are taken. A retry meeting the form's claim waits for that outcome (a few seconds at
 * most): placed, it goes on and meets its own tickets; given back, it is refused too.
 */
async function takePlace(letter: IntakeLetter, submissionId: string, now: Date): Promise<'new' | 'retry'> {
  const form = `${letter._id}:form:${submissionId}`;
  if (!(await claimOnce(form, now))) {
    const until = Date.now() + PLACE_WAIT_MS;
    for (;;) {
      const claim = await LetterClaimModel.findById(form, { place: 1 }).lean();
      if (!claim) throw new FeedbackLimitReached();
      if (typeof claim.place === 'number' || Date.now() > until) return 'retry';
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  // Places below the letter's count of forms are taken; a count behind after a crash only costs a refused insert.
  for (let n = letter.feedbacks ?? 0; n < MAX_SUBMISSIONS; n += 1) {
    if (await claimOnce(`${letter._id}:place:${n}`, now, submissionId)) {
      await LetterClaimModel.updateOne({ _id: form }, { $set: { place: n } });
      return 'new';
    }
  }
  await releaseClaim(form);
  throw new FeedbackLimitReached();
}
