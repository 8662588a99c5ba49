import type { Types } from 'mongoose';
import { actorForUser, type Actor } from './actor';
import { ApiKeyModel } from './api-key.model';
import type { Permission } from './roles';
import { UserModel } from './user.model';

/**
 * Who a user — acting through an API key when one is given — is right now: their current role,
 * college and active flag, limited to the key's scopes. Null when the user was deactivated or the key
 * revoked. For work done later on someone's behalf (webhook deliveries), so that it follows today's
 * rights, not those at the time the work was set up.
 */
export async function currentActorOf(userId: Types.ObjectId, apiKeyId?: Types.ObjectId | null): Promise<Actor | null> {
  const user = await UserModel.findById(userId).lean();
  if (!user || !user.active) return null;
  if (!apiKeyId) return actorForUser(user, 'user');
  const key = await ApiKeyModel.findById(apiKeyId).lean();
  if (!key || key.revokedAt || !key.owner.equals(user._id)) return null;
  return actorForUser(user, 'apiKey', key.scopes as Permission[], apiKeyId);
}
