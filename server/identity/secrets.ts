import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return `scrypt:${salt.toString('base64')}:${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string | undefined | null): Promise<boolean> {
  const [scheme, salt, hash] = (stored ?? '').split(':');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(expected, actual);
}

/** High-entropy tokens (API key secrets, session tokens) need no slow hash; SHA-256 suffices. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export const API_KEY_PREFIX = 'hsb';

/** `hsb_<keyId>_<secret>`: the key id finds the record, the secret is compared with its hash. */
export function newApiKeyMaterial(): { keyId: string; secret: string; plaintext: string } {
  const keyId = randomBytes(9).toString('hex');
  const secret = randomToken(32);
  return { keyId, secret, plaintext: `${API_KEY_PREFIX}_${keyId}_${secret}` };
}

export function parseApiKey(plaintext: string): { keyId: string; secret: string } | undefined {
  const match = /^hsb_([0-9a-f]{18})_([A-Za-z0-9_-]{20,})$/.exec(plaintext.trim());
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}
