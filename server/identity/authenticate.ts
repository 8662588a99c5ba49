import type { RequestHandler } from 'express';
import { currentContext } from '../http/request-context';
import { problems } from '../http/problem';
import { actorForUser, type Actor } from './actor';
import { ApiKeyModel } from './api-key.model';
import type { Permission } from './roles';
import { hashToken, parseApiKey, sameHash } from './secrets';
import { SessionModel } from './session.model';
import { UserModel } from './user.model';

export const SESSION_COOKIE = 'hsb_session';
/** Form.io's token header: the SDK sends what it stored (`Formio.setToken`) and stores what a response carries. */
export const TOKEN_HEADER = 'x-jwt-token';
/** Signing in or out is never refused because the client still holds an old token. */
const SIGN_IN_OUT_PATHS = new Set(['/api/auth/login', '/api/auth/logout', '/logout']);


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

const LAST_USED_RESOLUTION_MS = 60_000;

async function actorFromApiKey(plaintext: string): Promise<Actor> {
  const parsed = parseApiKey(plaintext);
  if (!parsed) throw problems.unauthenticated();
  const key = await ApiKeyModel.findOne({ keyId: parsed.keyId }).lean();
  if (!key || key.revokedAt || !sameHash(key.secretHash, hashToken(parsed.secret))) throw problems.unauthenticated();
  const owner = await UserModel.findById(key.owner).lean();
  if (!owner || !owner.active) throw problems.unauthenticated();
  // lastUsedAt is operational metadata, written without the audit hook on purpose, and at most once a
  // minute: a workflow calling a thousand times a minute costs one write, not a thousand.
  const now = new Date();
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await ApiKeyModel.collection.updateOne({ _id: key._id }, { $set: { lastUsedAt: now } });
  }
  return actorForUser(owner, 'apiKey', key.scopes as Permission[], key._id);
}

type SessionLookup = { actor: Actor } | { problem: 'unknown' | 'expired' };

async function lookUpSession(token: string): Promise<SessionLookup> {
  const session = await SessionModel.findById(hashToken(token)).lean();
  if (!session) return { problem: 'unknown' };
  if (session.expiresAt.getTime() < Date.now()) return { problem: 'expired' };
  const user = await UserModel.findById(session.user).lean();
  if (!user || !user.active) return { problem: 'unknown' };
  return { actor: { ...actorForUser(user, 'user'), sessionExpiresAt: session.expiresAt } };
}

function presentedToken(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers[TOKEN_HEADER];
  return typeof header === 'string' && header ? header : undefined;
}

/**
 * Identifies the caller (API key header, the session token in Form.io's `x-jwt-token` header, or the
 * browser session cookie) and attaches `req.actor`. A presented but invalid API key or token is
 * rejected at once (an expired token with 440, so that the Form.io SDK forgets it); anonymous requests
 * pass on, and the permission check of the route decides.
 */
export const authenticate: RequestHandler = async (req, res, next) => {
  const apiKey = presentedApiKey(req.headers);
  const headerToken = presentedToken(req.headers);
  if (apiKey) {
    req.actor = await actorFromApiKey(apiKey);
  } else if (headerToken) {
    // A header is never sent by the browser on its own, so these requests need no CSRF check.
    const found = await lookUpSession(headerToken);
    if ('actor' in found) req.actor = found.actor;
    else if (!SIGN_IN_OUT_PATHS.has(req.path)) throw found.problem === 'expired' ? problems.sessionExpired() : problems.unauthenticated();
  } else {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) {
      const found = await lookUpSession(token);
      req.actor = 'actor' in found ? found.actor : undefined;
      if (!req.actor) res.clearCookie(SESSION_COOKIE, { path: '/' });
      // Said once, with the cookie's removal: the page can tell "your session ended" from "not signed in".
      if ('problem' in found && found.problem === 'expired' && !SIGN_IN_OUT_PATHS.has(req.path)) throw problems.sessionExpired();
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
