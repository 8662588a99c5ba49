import type { Types } from 'mongoose';

/** A domain event. `college` and `owner` scope who may receive it (same rules as reading the record). */
export interface DomainEvent {
  type: string;
  college?: Types.ObjectId | null;
  owner?: Types.ObjectId | null;
  payload: Record<string, unknown>;
}

type Listener = (event: DomainEvent) => Promise<void>;
const listeners = new Set<Listener>();

export function onDomainEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Hands the event to every listener (the webhook dispatcher records deliveries before this returns). */
export async function publishEvent(event: DomainEvent): Promise<void> {
  for (const listener of listeners) await listener(event);
}

export const EVENT_TYPES = [
  'submission.created',
  'submission.updated',
  'archive.updated',
  'case.opened',
  'case.overdue',
  'case.closed',
  'award.recorded',
  'letter.ready',
  'campaign.opened',
  'campaign.deadlineApproaching',
  'campaign.planOverdue',
  'campaign.closed',
  'visitPlan.submitted',
  'visitPlan.approved',
  'visitPlan.returned',
  'visitReport.submitted',
  'visitReport.rejected',
  'letterCampaign.sent',
  'letter.opened',
  'feedback.received',
  'feedback.overdue',
  'student.markedSpecial',
  'mentoring.proposed',
  'mentoring.formed',
  'mentoring.inactive',
  'mentoring.closed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
