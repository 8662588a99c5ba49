import type { Types } from 'mongoose';
import type { Permission, Role } from './roles';

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
}

export function describeActor(actor: Actor): string {
  return actor.kind === 'apiKey' ? `${actor.username} (API key ${actor.apiKeyId?.toString()})` : actor.username;
}
