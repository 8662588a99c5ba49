import { problems } from '../http/problem';
import type { Actor } from './actor';
import { currentActorOf } from './current-actor';
import { assertCan } from './policy';
import type { Permission } from './roles';
import { UserModel } from './user.model';

/**
 * Who decides: the actor, or — when a decision made outside the service (an approver answering an n8n
 * approval message) is recorded for them — the named approver as they are now (active, current role and
 * college). Only a key holding the `relay` permission may record it; the approver's own role and scope are
 * then checked exactly as if they had acted themselves.
 */
export async function deciderFor(actor: Actor, onBehalfOf: string | undefined, relay: Permission): Promise<Actor> {
  if (onBehalfOf === undefined) return actor;
  assertCan(actor, relay);
  const ref = onBehalfOf.trim();
  const user = await UserModel.findOne(/^[0-9a-f]{24}$/.test(ref) ? { _id: ref } : { username: ref.toLowerCase() }).select('_id').lean();
  const decider = user ? await currentActorOf(user._id) : null;
  if (!decider) {
    throw problems.validation([{ path: 'onBehalfOf', message: `审批人“${ref}”不存在或已停用`, messageEn: `approver "${ref}" does not exist or is deactivated`, rule: 'exists' }]);
  }
  return decider;
}
