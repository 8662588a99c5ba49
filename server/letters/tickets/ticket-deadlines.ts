import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { ZONE } from '../../calendar/academic-calendar';
import { collegeDirectory } from '../../colleges/colleges.service';
import { publishEvent } from '../../events/event-bus';
import { collegeLeadersOf } from '../../identity/staff-directory';
import { FeedbackTicketModel } from '../feedback-ticket.model';
import { FEEDBACK_TOPIC_ZH, type FeedbackTopic } from '../letter-vocabulary';

/** Tickets one sweep reminds, and escalates, at most (the next minute takes the rest). */
export const TICKET_SWEEP_LIMIT = 200;

/** The same time one working day (Monday–Friday, Asia/Shanghai) after `at`. */
export function oneWorkingDayAfter(at: Date): Date {
  let day = DateTime.fromJSDate(at).setZone(ZONE).plus({ days: 1 });
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day.toJSDate();
}

interface Overdue {
  _id: string;
  campaign: Types.ObjectId;
  letter: string;
  college: Types.ObjectId;
  counselor?: Types.ObjectId | null;
  owner: Types.ObjectId;
  ownerName: string;
  topic: string;
  receivedAt: Date;
  dueAt: Date;
}

/**
 * B6 §4 deadlines, run with the minute sweep. An open ticket due within one working day is marked
 * `remindedAt` (its owner's task list shows it as due soon); an open ticket past its due date is
 * escalated once: `escalatedAt` is claimed by a guarded update (`escalatedAt: null`), and only the sweep
 * whose claim changed the ticket publishes `feedback.overdue`, to the college's leaders — however many
 * sweeps run at once. Both reads use the `{state, dueAt}` index and take at most `limit` tickets.
 */
export async function sweepTicketDeadlines(now: Date = new Date(), limit = TICKET_SWEEP_LIMIT): Promise<{ reminded: number; escalated: string[] }> {
  const soon = await FeedbackTicketModel.find({ state: 'open', dueAt: { $gt: now, $lte: oneWorkingDayAfter(now) }, remindedAt: null }).sort({ dueAt: 1 }).limit(limit).select('_id').lean();
  const reminded = soon.length
    ? (await FeedbackTicketModel.updateMany({ _id: { $in: soon.map((t) => t._id) }, state: 'open', remindedAt: null }, { $set: { remindedAt: now } })).modifiedCount
    : 0;

  const overdue = (await FeedbackTicketModel.find({ state: 'open', dueAt: { $lte: now }, escalatedAt: null })
    .sort({ dueAt: 1 })
    .limit(limit)
    .select('campaign letter college counselor owner ownerName topic receivedAt dueAt')
    .lean()) as unknown as Overdue[];
  const escalated: string[] = [];
  if (!overdue.length) return { reminded, escalated };
  const colleges = [...new Map(overdue.map((t) => [String(t.college), t.college])).values()];
  const [leaders, directory] = await Promise.all([collegeLeadersOf(colleges), collegeDirectory()]);
  for (const ticket of overdue) {
    const claim = await FeedbackTicketModel.updateOne({ _id: ticket._id, state: 'open', escalatedAt: null }, { $set: { escalatedAt: now } });
    if (claim.modifiedCount !== 1) continue; // answered meanwhile, or another sweep escalated it
    escalated.push(ticket._id);
    const college = directory.get(String(ticket.college));
    await publishEvent({
      type: 'feedback.overdue',
      college: ticket.college,
      owner: ticket.owner,
      payload: {
        ticketId: ticket._id,
        campaignId: String(ticket.campaign),
        letterId: ticket.letter,
        collegeId: String(ticket.college),
        collegeCode: college?.code ?? null,
        collegeName: college?.name ?? null,
        ownerId: String(ticket.owner),
        ownerName: ticket.ownerName,
        counselorId: ticket.counselor ? String(ticket.counselor) : null,
        topic: ticket.topic,
        topicLabel: FEEDBACK_TOPIC_ZH[ticket.topic as FeedbackTopic],
        receivedAt: ticket.receivedAt,
        dueAt: ticket.dueAt,
        hoursOverdue: Math.round(((now.getTime() - new Date(ticket.dueAt).getTime()) / 3_600_000) * 10) / 10,
        escalateTo: leaders.get(String(ticket.college)) ?? [],
      },
    });
  }
  return { reminded, escalated };
}
