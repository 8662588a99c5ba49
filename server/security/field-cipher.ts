import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Authenticated encryption of single field values (AES-256-GCM). Ciphertexts name the key that made
 * them (`v1:<key id>:<iv>:<tag>:<data>`), so a rotated key keeps old values readable until they are
 * re-encrypted with the current key (see key-rotation.ts).
 */
export class FieldCipher {
  private readonly current: { id: string; key: Buffer };
  private readonly byId = new Map<string, Buffer>();

  constructor(currentKey: Buffer, previousKeys: Buffer[] = []) {
    if (currentKey.length !== 32) throw new Error('encryption key must be 32 bytes');
    this.current = { id: keyId(currentKey), key: currentKey };
    for (const key of [currentKey, ...previousKeys]) this.byId.set(keyId(key), key);
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  /** Ids of the configured older keys (HSB_ENCRYPTION_PREVIOUS_KEYS). */
  get previousKeyIds(): string[] {
    return [...this.byId.keys()].filter((id) => id !== this.current.id);
  }

  /** The id of the key a ciphertext was made with, or undefined when the value is no field ciphertext. */
  static keyIdOf(token: unknown): string | undefined {
    if (typeof token !== 'string') return undefined;
    const [version, id, iv, tag, data] = token.split(':');
    return version === VERSION && id && iv && tag && data !== undefined ? id : undefined;
  }

  encrypt(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv);
    const plaintext = Buffer.from(JSON.stringify(value ?? null), 'utf8');
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.current.id, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(':');
  }

  decrypt(token: string): unknown {
    const [version, id, iv, tag, data] = token.split(':');
    if (version !== VERSION || !id || !iv || !tag || data === undefined) throw new Error('not a field ciphertext');
    const key = this.byId.get(id);
    if (!key) throw new Error(`no key ${id} configured to decrypt this value`);
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]);
    return JSON.parse(plaintext.toString('utf8'));
  }

  /** True when the value was made with an older key and should be re-encrypted. */
  needsRotation(token: string): boolean {
    return FieldCipher.keyIdOf(token) !== this.current.id;
  }

  /** True when one of the configured keys made this ciphertext. */
  canDecrypt(token: string): boolean {
    const id = FieldCipher.keyIdOf(token);
    return id !== undefined && this.byId.has(id);
  }

  /**
   * The same value encrypted with the current key. The new ciphertext is decrypted again and compared
   * with the original value before it is returned, so a faulty re-encryption is never written.
   */
  reencrypt(token: string): string {
    const value = this.decrypt(token);
    const next = this.encrypt(value);
    if (!isDeepStrictEqual(this.decrypt(next), value)) throw new Error('re-encryption check failed: the new ciphertext does not give back the value');
    return next;
  }
}
