import type { FieldCipher } from '../security/field-cipher';
import { letterToken } from './letter-tokens';

/** Where parents open letters, and the campaign's sealed token key opened for deriving links. */
export class LetterLinks {
  constructor(private readonly cipher: FieldCipher) {}

  sealKey(key: Buffer): string {
    return this.cipher.encrypt(key.toString('base64'));
  }

  openKey(sealed: string): Buffer {
    return Buffer.from(String(this.cipher.decrypt(sealed)), 'base64');
  }

  /** The link of one letter at its token version: `<base>/l/<token>` (base: HSB_PUBLIC_URL, or the address the caller used). */
  linkOf(base: string, key: Buffer, letterId: string, version: number): string {
    return `${base}/l/${letterToken(key, letterId, version).token}`;
  }
}
