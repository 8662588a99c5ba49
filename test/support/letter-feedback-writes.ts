import type { Types } from 'mongoose';
import { FamilyLetterModel } from '../../server/letters/family-letter.model';
import { FeedbackTicketModel } from '../../server/letters/feedback-ticket.model';
import { LetterCampaignModel } from '../../server/letters/letter-campaign.model';
import type { FeedbackTopic } from '../../server/letters/letter-vocabulary';

/**
 * Writes what a parent's reading and feedback and a member of staff's handling of a ticket leave in the
 * database, exactly in the shapes of the B6 contract (FamilyLetter.openedAt/answeredAt with the campaign's
 * `progress.opened`/`progress.answered` counted once by a claim; FeedbackTicket documents with responses,
 * follow-through and closing). The report reads these records; the parent's page and the ticket API that
 * write them in the service have their own tests.
 */

const HOUR = 3_600_000;

/** First open of a letter: openedAt set only if unset (the claim), then progress.opened $inc once. */
export async function openLetter(letterId: string, at = new Date()): Promise<boolean> {
  const claimed = await FamilyLetterModel.updateOne({ _id: letterId, openedAt: null }, { $set: { openedAt: at, lastOpenedAt: at }, $inc: { opens: 1 } });
  if (claimed.modifiedCount !== 1) {
    await FamilyLetterModel.updateOne({ _id: letterId }, { $set: { lastOpenedAt: at }, $inc: { opens: 1 } });
    return false;
  }
  const letter = await FamilyLetterModel.findById(letterId, { campaign: 1 }).lean();
  await LetterCampaignModel.updateOne({ _id: letter!.campaign }, { $inc: { 'progress.opened': 1 } });
  return true;
}

export interface FeedbackItem {
  topic: FeedbackTopic;
  text: string;
  owner: { userId: Types.ObjectId; username: string };
  /** Hours after `receivedAt` the ticket is due (negative: already overdue). */
  dueInHours?: number;
}

/** A parent's feedback: one ticket per item (`<letter>:<submission>:<topic>`), answeredAt + progress.answered once. */
export async function answerLetter(letterId: string, submissionId: string, items: FeedbackItem[], receivedAt = new Date()): Promise<string[]> {
  const letter = await FamilyLetterModel.findById(letterId).lean();
  if (!letter) throw new Error(`no letter ${letterId}`);
  if (!letter.openedAt) await openLetter(letterId, receivedAt);
  const ids = items.map((i) => `${letterId}:${submissionId}:${i.topic}`);
  await FeedbackTicketModel.insertMany(
    items.map((item, n) => ({
      _id: ids[n],
      campaign: letter.campaign,
      letter: letterId,
      college: letter.college,
      counselor: letter.counselor,
      topic: item.topic,
      text: item.text,
      contactWish: { wanted: false },
      owner: item.owner.userId,
      ownerName: item.owner.username,
      routedBy: 'counselor',
      receivedAt,
      dueAt: new Date(receivedAt.getTime() + (item.dueInHours ?? 5 * 24) * HOUR),
      state: 'open',
      revision: 1,
    })),
  );
  await FamilyLetterModel.updateOne({ _id: letterId }, { $inc: { feedbacks: items.length } });
  const claimed = await FamilyLetterModel.updateOne({ _id: letterId, answeredAt: null }, { $set: { answeredAt: receivedAt } });
  if (claimed.modifiedCount === 1) await LetterCampaignModel.updateOne({ _id: letter.campaign }, { $inc: { 'progress.answered': 1 } });
  return ids;
}

type Staff = { userId: Types.ObjectId; username: string };

/** A response to the parent: state responded. */
export async function respondToTicket(ticketId: string, by: Staff, at: Date, text = '已收到您的意见，学院正在处理。'): Promise<void> {
  const done = await FeedbackTicketModel.updateOne({ _id: ticketId }, { $push: { responses: { text, by: by.userId, byName: by.username, at } }, $set: { state: 'responded' }, $inc: { revision: 1 } });
  if (done.modifiedCount !== 1) throw new Error(`no ticket ${ticketId}`);
}

/** What was done about it. */
export async function followThroughTicket(ticketId: string, by: Staff, at: Date, text = '已与任课教师沟通并调整安排。'): Promise<void> {
  const done = await FeedbackTicketModel.updateOne({ _id: ticketId }, { $push: { followThrough: { text, by: by.userId, byName: by.username, at } }, $inc: { revision: 1 } });
  if (done.modifiedCount !== 1) throw new Error(`no ticket ${ticketId}`);
}

/** Closing: closedAt/closedBy (the ticket API refuses it without a response and a follow-through). */
export async function closeTicket(ticketId: string, by: Staff, at: Date): Promise<void> {
  const done = await FeedbackTicketModel.updateOne({ _id: ticketId }, { $set: { state: 'closed', closedAt: at, closedBy: by.userId }, $inc: { revision: 1 } });
  if (done.modifiedCount !== 1) throw new Error(`no ticket ${ticketId}`);
}
