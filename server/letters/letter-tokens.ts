import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The link a family opens (B6 §2): `<letter id>.<secret>`. The secret is an HMAC of the letter id and its
 * token version under the campaign's own random key (256 bits, sealed in the campaign), cut to 160 bits.
 * Only its SHA-256 is stored with the letter, so a copy of the database opens no letter, while the sender
 * can derive every link again after a crash. Revoking bumps the version: the old link stops working and a
 * new one can be sent.
 */
const SECRET_BYTES = 20;

export function newCampaignTokenKey(): Buffer {
  return randomBytes(32);
}

function secretOf(key: Buffer, letterId: string, version: number): string {
  return createHmac('sha256', key).update(`${letterId}:${version}`).digest().subarray(0, SECRET_BYTES).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function letterToken(key: Buffer, letterId: string, version: number): { token: string; hash: string } {
  const secret = secretOf(key, letterId, version);
  return { token: `${letterId}.${secret}`, hash: hashSecret(secret) };
}

/** Splits a token into the letter id (a point read) and the secret to compare; undefined when malformed. */
export function parseLetterToken(token: string): { letterId: string; secret: string } | undefined {
  const match = /^([0-9a-f]{24})\.([A-Za-z0-9_-]{27})$/.exec(token);
  return match ? { letterId: match[1]!, secret: match[2]! } : undefined;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
