import { Router } from 'express';
import rateLimit from 'express-rate-limit';
import type { AppConfig } from '../config/config';
import { z } from 'zod/v4';
import { declareRoute } from '../http/contract/api-contract';
import { problems } from '../http/problem';
import { SESSION_COOKIE, TOKEN_HEADER } from './authenticate';
import { createApiKey, createUser, listApiKeys, revokeApiKey, signIn, signOut } from './identity.service';
import type { Types } from 'mongoose';
import { collegeDirectory } from '../colleges/colleges.service';
import { page, recordRef } from '../http/contract/fields';
import { isCollegeScoped, READ_SCOPE, requireActor } from './policy';
import { searchStaff } from './staff-directory';
import { PERMISSIONS, ROLE_NAMES, ROLES, type Role } from './roles';
import type { Actor } from './actor';
import { navigationFor } from '../workspace/navigation';

/** The signed-in caller as `/api/auth/me` and the Form.io SDK's `/current` describe it. */
export function whoAmI(actor: Actor) {
  return {
    id: String(actor.userId),
    username: actor.username,
    displayName: actor.displayName,
    role: actor.role,
    roleZh: ROLES[actor.role].zh,
    college: actor.college ? String(actor.college) : null,
    permissions: [...actor.permissions],
    via: actor.kind,
    sessionExpiresAt: actor.sessionExpiresAt?.toISOString() ?? null,
    navigation: navigationFor(actor),
    /** Which records of each kind the caller may read (the policy table's row): pages offer lists only where it is not `lookup`. */
    readScope: READ_SCOPE[actor.role],
  };
}

const loginBody = z.object({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) }).strict();
const apiKeyBody = z.object({ name: z.string().trim().min(1).max(100), scopes: z.array(z.enum(PERMISSIONS)).min(1) }).strict();
const userBody = z
  .object({
    username: z.string().regex(/^[a-z0-9._-]{3,40}$/, 'letters, digits, . _ - (3–40)'),
    displayName: z.string().trim().min(1).max(60),
    role: z.enum(ROLE_NAMES as [Role, ...Role[]]),
    college: z.string().regex(/^[0-9a-f]{24}$/, 'a college id').optional(),
    password: z.string().min(8).max(200).optional(),
    email: z.email().max(200).optional(),
  })
  .strict();
const idParams = z.object({ id: z.string().min(1).max(60) }).strict();
const staffQuery = z
  .object({
    q: z.string().max(40).optional().describe('part of the name, or the start of the username'),
    college: recordRef.optional().describe('college id or code: only its staff'),
    role: z.enum(ROLE_NAMES as [Role, ...Role[]]).optional(),
    ...page(100),
  })
  .strict();

export function identityRoutes(config: AppConfig): Router {
  const router = Router();
  const loginLimiter = rateLimit({
    windowMs: 60_000,
    limit: config.loginRateLimitPerMinute,
    // Only failed sign-ins count: a school's staff behind one address may all sign in in the same minute.
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(problems.tooManyRequests()),
  });

  const at = '/api';
  const tag = 'Identity (身份与权限)';
  const labels = { username: '用户名', password: '密码', name: '名称', scopes: '权限范围', displayName: '姓名', role: '角色', college: '院系', email: '电子邮箱' };

  declareRoute(router, at, { method: 'post', path: '/auth/login', summary: 'Sign in: a session cookie, and the same session in x-jwt-token for Form.io SDK clients', tag, body: loginBody, labels, before: [loginLimiter], status: 200, anonymous: true }, async ({ body }, _req, res) => {
    const session = await signIn(body.username, body.password, config.sessionTtlHours);
    res.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: config.env === 'production',
      path: '/',
      expires: session.expiresAt,
    });
    // The same session for Form.io SDK clients, which store the token from this header (Formio.setToken).
    res.setHeader(TOKEN_HEADER, session.token);
    res.setHeader('Access-Control-Expose-Headers', TOKEN_HEADER);
    res.json({ ok: true, expiresAt: session.expiresAt });
  });

  declareRoute(router, at, { method: 'post', path: '/auth/logout', summary: 'Sign out (ends the cookie or x-jwt-token session)', tag, status: 204 }, async (_input, req, res) => {
    const cookieToken = req.headers.cookie?.match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))?.[1];
    const token = req.get(TOKEN_HEADER) ?? (cookieToken ? decodeURIComponent(cookieToken) : undefined);
    if (token) await signOut(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  declareRoute(router, at, { method: 'get', path: '/auth/me', summary: 'Who is calling: role, college, permissions', tag }, async (_input, req, res) => {
    res.json(whoAmI(requireActor(req.actor)));
  });

  declareRoute(router, at, { method: 'get', path: '/staff', summary: 'Staff by name for pickers (visitors of a visit plan): name, username, role; a college-scoped caller sees its college and the school-wide staff', tag, permission: 'visits:read', query: staffQuery, labels: { ...labels, q: '姓名' } }, async ({ query }, req, res) => {
    const actor = requireActor(req.actor);
    let college: Types.ObjectId | undefined;
    if (query.college) {
      const found = (await collegeDirectory()).get(query.college);
      if (!found) throw problems.badRequest(`No college "${query.college}"`, `院系“${query.college}”不存在`, [{ path: 'college', message: `院系“${query.college}”不存在`, messageEn: `no college "${query.college}"`, rule: 'exists' }]);
      college = found._id;
    }
    const result = await searchStaff({ college: actor.college, collegeScoped: isCollegeScoped(actor) }, { text: query.q, college, role: query.role, limit: query.limit, skip: query.skip });
    res.setHeader('Content-Range', result.items.length ? `${query.skip}-${query.skip + result.items.length - 1}/${result.total}` : `*/${result.total}`);
    res.json(result);
  });

  declareRoute(router, at, { method: 'get', path: '/api-keys', summary: 'API keys (never their secrets)', tag, permission: 'apiKeys:manage' }, async (_input, req, res) => {
    res.json(await listApiKeys(requireActor(req.actor)));
  });

  declareRoute(router, at, { method: 'post', path: '/api-keys', summary: 'Create an API key (its secret is answered once); scopes never beyond the creator’s', tag, permission: 'apiKeys:manage', body: apiKeyBody, labels }, async ({ body }, req, res) => {
    res.status(201).json(await createApiKey(requireActor(req.actor), body));
  });

  declareRoute(router, at, { method: 'delete', path: '/api-keys/:id', summary: 'Revoke an API key', tag, permission: 'apiKeys:manage', params: idParams, status: 204 }, async ({ params }, req, res) => {
    await revokeApiKey(requireActor(req.actor), params.id);
    res.status(204).end();
  });

  declareRoute(router, at, { method: 'post', path: '/users', summary: 'Create a staff account', tag, permission: 'users:manage', body: userBody, labels }, async ({ body }, _req, res) => {
    res.status(201).json(await createUser(body));
  });

  return router;
}
