import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a delivery's timestamp may be from now (replay protection). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Checks `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` against the subscription secret.
 */
export function verifySignature(secret: string, header: unknown, rawBody: string, nowSeconds: number): boolean {
  if (typeof header !== 'string') return false;
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header.trim());
  if (!match) return false;
  const timestamp = Number(match[1]);
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  const given = Buffer.from(match[2]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
