import type { Types } from 'mongoose';
import type { Actor } from './actor';
import { ApiKeyModel } from './api-key.model';
import { ROLE_PERMISSIONS, type Permission, type Role } from './roles';
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
  let permissions: readonly Permission[] = ROLE_PERMISSIONS[user.role as Role] ?? [];
  if (apiKeyId) {
    const key = await ApiKeyModel.findById(apiKeyId).lean();
    if (!key || key.revokedAt || !key.owner.equals(user._id)) return null;
    permissions = permissions.filter((p) => (key.scopes as string[]).includes(p));
  }
  return {
    kind: apiKeyId ? 'apiKey' : 'user',
    userId: user._id,
    username: user.username,
    displayName: user.displayName,
    role: user.role as Role,
    college: user.college ?? undefined,
    permissions: new Set(permissions),
    apiKeyId: apiKeyId ?? undefined,
  };
}
