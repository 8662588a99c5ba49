import { addWorkingDays } from '../../calendar/working-days';
import { ApiError } from '../../http/problem';
import { FeedbackTicketModel } from '../feedback-ticket.model';

export class TicketNotFound extends ApiError {
  constructor() {
    super(404, 'TICKET_NOT_FOUND', 'This letter has no such feedback', '本信件没有这条反馈');
  }
}

/**
 * The parent says the school's answer did not help (B6 §4): a responded or closed ticket of this letter goes
 * back to `open` with the reason, a new response deadline (`responseDays` working days from now) and its
 * reminders cleared, so the owner has to answer — and follow through — again before it can close.
 * The write is conditional on the revision read; a parallel change makes it 409 and the page reloads. The same
 * request retried after it landed (the ticket is open and reopened since its last response) changes nothing.
 */
export async function reopenTicket(letterId: string, ticketId: string, reason: string, responseDays: number, now = new Date()): Promise<void> {
  const ticket = await FeedbackTicketModel.findById(ticketId, { letter: 1, state: 1, revision: 1, responses: 1, reopenings: 1 }).lean();
  if (!ticket || ticket.letter !== letterId) throw new TicketNotFound();
  if (ticket.state === 'open') {
    const lastResponse = ticket.responses.at(-1)?.at;
    const lastReopening = ticket.reopenings.at(-1)?.at;
    if (lastReopening && (!lastResponse || lastReopening >= lastResponse)) return;
    throw new ApiError(409, 'TICKET_NOT_ANSWERED', 'The school has not answered this feedback yet', '学校尚未回复这条反馈，请耐心等待', [
      { path: 'ticketId', message: '尚未回复的反馈不能重新提出', messageEn: 'only an answered feedback can be reopened', rule: 'state' },
    ]);
  }
  const changed = await FeedbackTicketModel.updateOne(
    { _id: ticket._id, revision: ticket.revision, state: { $in: ['responded', 'closed'] } },
    {
      $set: { state: 'open', dueAt: addWorkingDays(now, responseDays), revision: ticket.revision + 1 },
      $unset: { closedAt: 1, closedBy: 1, remindedAt: 1, escalatedAt: 1 },
      $push: { reopenings: { reason: reason.trim(), at: now } },
    },
  );
  if (changed.modifiedCount !== 1) {
    throw new ApiError(409, 'REVISION_CONFLICT', 'The feedback was changed meanwhile; reload the page and try again', '这条反馈刚刚有更新，请刷新页面后重试', [
      { path: 'ticketId', message: '反馈已被更新', messageEn: 'the feedback changed meanwhile', rule: 'revision' },
    ]);
  }
}
