import { Types } from 'mongoose';
import { recordAudit } from '../audit/audit.service';
import { ApiError, problems } from '../http/problem';
import type { Actor } from './actor';
import { ApiKeyModel } from './api-key.model';
import { withheldOnReplay } from '../idempotency/withheld-fields';
import { isRole, type Permission } from './roles';
import { hashToken, newApiKeyMaterial, randomToken, verifyPassword, hashPassword } from './secrets';
import { SessionModel } from './session.model';
import { UserModel } from './user.model';

export async function signIn(username: string, password: string, ttlHours: number): Promise<{ token: string; expiresAt: Date }> {
  const user = await UserModel.findOne({ username: username.trim().toLowerCase() });
  const valid = !!user && user.active && (await verifyPassword(password, user.passwordHash));
  if (!user || !valid) {
    await recordAudit({ action: 'sign-in-failed', resourceType: 'user', username });
    throw new ApiError(401, 'BAD_CREDENTIALS', 'Wrong username or password', '用户名或密码错误');
  }
  const token = randomToken();
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  const tokenHash = hashToken(token);
  await SessionModel.create({ _id: tokenHash, tokenHash, user: user._id, expiresAt });
  await recordAudit({ action: 'sign-in', resourceType: 'user', resourceId: String(user._id), username: user.username, college: user.college });
  return { token, expiresAt };
}

export async function signOut(token: string): Promise<void> {
  await SessionModel.deleteOne({ _id: hashToken(token) });
}

export interface NewApiKey {
  name: string;
  scopes: Permission[];
}

/**
 * Creates a key acting as its creator, limited to scopes the creator holds: a user's role permissions,
 * or — when an API key mints the key — that key's own scopes, so no key can mint a broader one.
 * Returns the secret once; it is never stored, not even for an Idempotency-Key replay.
 */
export async function createApiKey(actor: Actor, input: NewApiKey) {
  const beyond = input.scopes.filter((scope) => !actor.permissions.has(scope));
  if (beyond.length > 0) {
    throw problems.validation([
      {
        path: 'scopes',
        message: `不能授予您自己没有的权限：${beyond.join(', ')}`,
        messageEn: `You cannot grant scopes you do not hold: ${beyond.join(', ')}`,
        rule: 'scopeSubset',
      },
    ]);
  }
  const material = newApiKeyMaterial();
  const record = await ApiKeyModel.create({
    keyId: material.keyId,
    secretHash: hashToken(material.secret),
    name: input.name,
    scopes: input.scopes,
    owner: actor.userId,
    college: actor.college,
  });
  return withheldOnReplay({ id: String(record._id), keyId: record.keyId, name: record.name, scopes: record.scopes, apiKey: material.plaintext }, 'apiKey');
}

function keyScopeFilter(actor: Actor): Record<string, unknown> {
  return actor.role === 'admin' ? {} : { owner: actor.userId };
}

export async function listApiKeys(actor: Actor) {
  const keys = await ApiKeyModel.find(keyScopeFilter(actor)).sort({ createdAt: -1 }).lean();
  return keys.map((k) => ({
    id: String(k._id),
    keyId: k.keyId,
    name: k.name,
    scopes: k.scopes,
    owner: String(k.owner),
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  }));
}

export async function revokeApiKey(actor: Actor, id: string): Promise<void> {
  if (!Types.ObjectId.isValid(id)) throw problems.notFound('API key', 'API 密钥');
  const key = await ApiKeyModel.findOne({ _id: id, ...keyScopeFilter(actor) });
  if (!key) throw problems.notFound('API key', 'API 密钥');
  if (!key.revokedAt) {
    key.revokedAt = new Date();
    await key.save();
  }
}

export interface NewUser {
  username: string;
  displayName: string;
  role: string;
  college?: string;
  email?: string;
  password?: string;
}

export async function createUser(input: NewUser) {
  if (!isRole(input.role)) {
    throw problems.validation([{ path: 'role', message: '角色无效', messageEn: 'Unknown role', rule: 'enum' }]);
  }
  const user = await UserModel.create({
    username: input.username,
    displayName: input.displayName,
    role: input.role,
    college: input.college,
    email: input.email,
    passwordHash: input.password ? await hashPassword(input.password) : undefined,
  });
  return { id: String(user._id), username: user.username, displayName: user.displayName, role: user.role, college: user.college, email: user.email };
}
