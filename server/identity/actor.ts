import type { Types } from 'mongoose';
import { ROLE_PERMISSIONS, type Permission, type Role } from './roles';

/** Whoever makes a request: a signed-in staff member, or a machine client acting through an API key. */
export interface Actor {
  kind: 'user' | 'apiKey';
  userId: Types.ObjectId;
  username: string;
  displayName: string;
  role: Role;
  college?: Types.ObjectId;
  permissions: ReadonlySet<Permission>;
  apiKeyId?: Types.ObjectId;
  /** When the browser session this actor signed in with ends (sessions only). */
  sessionExpiresAt?: Date;
}

export function describeActor(actor: Actor): string {
  return actor.kind === 'apiKey' ? `${actor.username} (API key ${actor.apiKeyId?.toString()})` : actor.username;
}

/** A staff member as an actor: their role's permissions, limited to an API key's scopes when acting through one. */
export function actorForUser(
  user: { _id: Types.ObjectId; username: string; displayName: string; role: string; college?: Types.ObjectId | null },
  kind: Actor['kind'],
  scopes?: readonly Permission[],
  apiKeyId?: Types.ObjectId,
): Actor {
  const rolePermissions = ROLE_PERMISSIONS[user.role as Role] ?? [];
  const permissions = scopes ? rolePermissions.filter((p) => scopes.includes(p)) : rolePermissions;
  return {
    kind,
    userId: user._id,
    username: user.username,
    displayName: user.displayName,
    role: user.role as Role,
    college: user.college ?? undefined,
    permissions: new Set(permissions),
    apiKeyId,
  };
}
