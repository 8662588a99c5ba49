import type { Types } from 'mongoose';
import type { Actor } from '../identity/actor';
import { currentActorOf } from '../identity/current-actor';
import { can, mayReadRecord, type Resource } from '../identity/policy';
import type { Permission } from '../identity/roles';

/** What a delivery needs to know about the event's record to decide who may receive it. */
export interface EventScope {
  type: string;
  college?: Types.ObjectId | null;
  owner?: Types.ObjectId | null;
}

/** The kind of record an event is about, for the policy's read scope. */
function eventResource(type: string): Resource {
  if (type.startsWith('submission.')) return 'submission';
  if (type.startsWith('case.')) return 'case';
  if (type === 'letter.opened' || type.startsWith('letterCampaign.')) return 'letter';
  if (type.startsWith('feedback.')) return 'feedback';
  if (type.startsWith('award.') || type.startsWith('letter.')) return 'award';
  if (type.startsWith('visitPlan.') || type.startsWith('campaign.')) return 'visitPlan';
  if (type.startsWith('visitReport.')) return 'visitReport';
  if (type.startsWith('mentoring.')) return 'mentoringGroup';
  return 'student';
}

function permissionToRead(eventType: string): Permission {
  if (eventType.startsWith('submission.')) return 'submissions:read';
  if (eventType === 'letter.opened' || eventType.startsWith('letterCampaign.') || eventType.startsWith('feedback.')) return 'letters:read';
  if (eventType.startsWith('visitPlan.') || eventType.startsWith('campaign.') || eventType.startsWith('visitReport.')) return 'visits:read';
  if (eventType.startsWith('mentoring.')) return 'mentoring:log';
  return 'students:read';
}

/** Who receives a subscription's deliveries now: null when the owner was deactivated or the key revoked. */
export function subscriberActor(subscription: { owner: Types.ObjectId; apiKey?: Types.ObjectId | null }): Promise<Actor | null> {
  return currentActorOf(subscription.owner, subscription.apiKey);
}

/**
 * Why this subscriber (as `subscriberActor` found them) may not receive this event, or undefined when
 * they may: the owner must be active (and the key still valid), hold the permission to read the event's
 * record, and have it in scope — the same rules as reading the record through the API.
 */
export function refusalFor(actor: Actor | null, event: EventScope): string | undefined {
  if (!actor) return 'subscriber deactivated or API key revoked';
  const needed = permissionToRead(event.type);
  if (!can(actor, needed)) return `subscriber lacks ${needed}`;
  const inScope = mayReadRecord(actor, eventResource(event.type), { college: event.college, owner: event.owner });
  return inScope ? undefined : 'record outside the subscriber’s scope';
}

export async function receiveRefusal(subscription: { owner: Types.ObjectId; apiKey?: Types.ObjectId | null }, event: EventScope): Promise<string | undefined> {
  return refusalFor(await subscriberActor(subscription), event);
}
