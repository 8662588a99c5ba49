import type { RequestHandler } from 'express';
import { Types } from 'mongoose';
import { currentContext } from '../http/request-context';
import { problems } from '../http/problem';
import type { Actor } from './actor';
import { ApiKeyModel } from './api-key.model';
import { ROLE_PERMISSIONS, type Permission, type Role } from './roles';
import { hashToken, parseApiKey, sameHash } from './secrets';
import { SessionModel } from './session.model';
import { UserModel, type User } from './user.model';

export const SESSION_COOKIE = 'hsb_session';

type UserDoc = User & { _id: Types.ObjectId };

function actorForUser(user: UserDoc, kind: Actor['kind'], scopes?: readonly Permission[], apiKeyId?: Types.ObjectId): Actor {
  const rolePermissions = ROLE_PERMISSIONS[user.role as Role];
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

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function presentedApiKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
  return undefined;
}

async function actorFromApiKey(plaintext: string): Promise<Actor> {
  const parsed = parseApiKey(plaintext);
  if (!parsed) throw problems.unauthenticated();
  const key = await ApiKeyModel.findOne({ keyId: parsed.keyId }).lean();
  if (!key || key.revokedAt || !sameHash(key.secretHash, hashToken(parsed.secret))) throw problems.unauthenticated();
  const owner = await UserModel.findById(key.owner).lean();
  if (!owner || !owner.active) throw problems.unauthenticated();
  // lastUsedAt is operational metadata, written without the audit hook on purpose (one per request).
  await ApiKeyModel.collection.updateOne({ _id: key._id }, { $set: { lastUsedAt: new Date() } });
  return actorForUser(owner, 'apiKey', key.scopes as Permission[], key._id);
}

async function actorFromSession(token: string): Promise<Actor | undefined> {
  const session = await SessionModel.findOne({ tokenHash: hashToken(token) }).lean();
  if (!session || session.expiresAt.getTime() < Date.now()) return undefined;
  const user = await UserModel.findById(session.user).lean();
  if (!user || !user.active) return undefined;
  return actorForUser(user, 'user');
}

/**
 * Identifies the caller (API key header, or the browser session cookie) and attaches `req.actor`.
 * A presented but invalid API key is rejected at once; anonymous requests pass on, and the
 * permission check of the route decides.
 */
export const authenticate: RequestHandler = async (req, res, next) => {
  const apiKey = presentedApiKey(req.headers);
  if (apiKey) {
    req.actor = await actorFromApiKey(apiKey);
  } else {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) {
      req.actor = await actorFromSession(token);
      if (!req.actor) res.clearCookie(SESSION_COOKIE, { path: '/' });
      // Cookie-authenticated writes must come from our own pages (CSRF defence on top of SameSite=Strict).
      const site = req.headers['sec-fetch-site'];
      if (req.actor && !['GET', 'HEAD', 'OPTIONS'].includes(req.method) && site && site !== 'same-origin' && site !== 'none') {
        throw problems.forbidden('Cross-site request refused', '拒绝跨站请求');
      }
    }
  }
  const context = currentContext();
  if (context) context.actor = req.actor;
  next();
};
