import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Development convenience: without HSB_ENCRYPTION_KEY the service keeps a generated key in the data
 * folder (mode 0600). Production refuses to start without a configured key (see config).
 */
export function loadOrCreateLocalKey(dataDir: string, log: (message: string) => void): Buffer {
  const file = path.join(dataDir, 'encryption.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  log(`generated a local encryption key in ${file}; set HSB_ENCRYPTION_KEY in production`);
  return key;
}

/** The development key kept in the data folder, if there is one (never creates it). */
export function readLocalKey(dataDir: string): Buffer | undefined {
  const file = path.join(dataDir, 'encryption.key');
  return existsSync(file) ? Buffer.from(readFileSync(file, 'utf8').trim(), 'base64') : undefined;
}
