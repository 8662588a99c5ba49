import { Router } from 'express';
import rateLimit from 'express-rate-limit';
import type { AppConfig } from '../config/config';
import { BodyReader } from '../http/body-reader';
import { problems } from '../http/problem';
import { SESSION_COOKIE, TOKEN_HEADER } from './authenticate';
import { createApiKey, createUser, listApiKeys, revokeApiKey, signIn, signOut } from './identity.service';
import { requireActor, requirePermission } from './policy';
import { PERMISSIONS, ROLES } from './roles';
import type { Actor } from './actor';

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
  };
}

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

  router.post('/auth/login', loginLimiter, async (req, res) => {
    const body = new BodyReader(req.body);
    const username = body.string('username', { required: true, max: 40, labelZh: '用户名' });
    const password = body.string('password', { required: true, max: 200, labelZh: '密码' });
    body.done();
    const session = await signIn(username!, password!, config.sessionTtlHours);
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

  router.post('/auth/logout', async (req, res) => {
    const cookieToken = req.headers.cookie?.match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))?.[1];
    const token = req.get(TOKEN_HEADER) ?? (cookieToken ? decodeURIComponent(cookieToken) : undefined);
    if (token) await signOut(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/auth/me', (req, res) => {
    res.json(whoAmI(requireActor(req.actor)));
  });

  router.get('/api-keys', requirePermission('apiKeys:manage'), async (req, res) => {
    res.json(await listApiKeys(requireActor(req.actor)));
  });

  router.post('/api-keys', requirePermission('apiKeys:manage'), async (req, res) => {
    const body = new BodyReader(req.body);
    const name = body.string('name', { required: true, max: 100, labelZh: '名称' });
    const scopes = body.stringArray('scopes', PERMISSIONS, { required: true });
    body.done();
    res.status(201).json(await createApiKey(requireActor(req.actor), { name: name!, scopes }));
  });

  router.delete('/api-keys/:id', requirePermission('apiKeys:manage'), async (req, res) => {
    await revokeApiKey(requireActor(req.actor), String(req.params.id));
    res.status(204).end();
  });

  router.post('/users', requirePermission('users:manage'), async (req, res) => {
    const body = new BodyReader(req.body);
    const username = body.string('username', { required: true, pattern: /^[a-z0-9._-]{3,40}$/, labelZh: '用户名' });
    const displayName = body.string('displayName', { required: true, max: 60, labelZh: '姓名' });
    const role = body.string('role', { required: true, labelZh: '角色' });
    const college = body.string('college', { pattern: /^[0-9a-f]{24}$/, labelZh: '院系' });
    const password = body.string('password', { max: 200, labelZh: '密码' });
    const email = body.string('email', { max: 200, pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, labelZh: '电子邮箱' });
    body.done();
    res.status(201).json(await createUser({ username: username!, displayName: displayName!, role: role!, college, email, password }));
  });

  return router;
}
