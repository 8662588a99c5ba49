import { ConfigError, loadConfig } from '../config/config';
import { connectDatabase, disconnectDatabase } from '../db/connection';
import { resolveDatabase } from '../db/resolve-database';
import { FieldCipher } from './field-cipher';
import { rotateKeys } from './key-rotation';
import { readLocalKey } from './local-key';
import { describeOutcome, describeProgress, rotationComplete } from './rotation-summary';

const USAGE = `Usage: npm run keys:rotate -- [--dry-run] [--max-documents N]

Re-encrypts every sensitive value with HSB_ENCRYPTION_KEY, reading old values with
HSB_ENCRYPTION_PREVIOUS_KEYS. Safe to stop (Ctrl-C) and to run again: what is already under the
current key is skipped. Exit status 0: every value is under the current key; 3: some value still
needs an old key (or the run stopped early); 64: bad arguments; 78: bad configuration.
用法：以 HSB_ENCRYPTION_KEY 重新加密所有敏感值（旧值用 HSB_ENCRYPTION_PREVIOUS_KEYS 解密），可随时中断并再次运行。`;

export interface CommandOptions {
  dryRun: boolean;
  maxDocuments?: number;
}

export class UsageError extends Error {}

export function parseArguments(args: string[]): CommandOptions | 'help' {
  const options: CommandOptions = { dryRun: false };
  for (let i = 0; i < args.length; i += 1) {
    const [name, inline] = args[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (name === '--help' || name === '-h') return 'help';
    if (name === '--dry-run' && inline === undefined) options.dryRun = true;
    else if (name === '--max-documents') {
      const value = inline ?? args[(i += 1)];
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--max-documents needs a whole number of at least 1, not "${value ?? ''}" / --max-documents 须为不小于 1 的整数`);
      options.maxDocuments = n;
    } else throw new UsageError(`unknown option "${args[i]}" / 未知选项“${args[i]}”`);
  }
  return options;
}

/** `npm run keys:rotate`: returns the exit status. Prints counts and key ids, never a key or a value. */
export async function runRotateKeysCommand(args: string[], env: NodeJS.ProcessEnv = process.env, print: (line: string) => void = console.log): Promise<number> {
  let options;
  let config;
  try {
    options = parseArguments(args);
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof UsageError) {
      print(`${error.message}\n\n${USAGE}`);
      return 64;
    }
    if (error instanceof ConfigError) {
      print(error.message);
      return 78;
    }
    throw error;
  }
  if (options === 'help') {
    print(USAGE);
    return 0;
  }
  const key = config.encryptionKey ?? readLocalKey(config.dataDir);
  if (!key) {
    print('No encryption key: set HSB_ENCRYPTION_KEY (the new key) / 未找到加密密钥：请设置 HSB_ENCRYPTION_KEY（新密钥）');
    return 78;
  }
  const cipher = new FieldCipher(key, config.encryptionPreviousKeys);
  // The models name the collections to visit; loading the application registers all of them.
  await import('../app');
  const database = await resolveDatabase(config, (message) => print(message));
  const stop = new AbortController();
  const interrupt = (): void => {
    print('Stopping after the current record… / 正在停止（处理完当前记录）…');
    stop.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await connectDatabase(database.uri, config.databaseName, config.dbPoolSize ?? database.maxPoolSize);
    print(`Current key ${cipher.currentKeyId}; previous keys: ${cipher.previousKeyIds.join(', ') || 'none'}${options.dryRun ? ' (dry run: nothing is written)' : ''}`);
    const report = await rotateKeys(cipher, {
      dryRun: options.dryRun,
      maxDocuments: options.maxDocuments,
      signal: stop.signal,
      onProgress: (progress) => print(describeProgress(progress)),
    });
    for (const line of describeOutcome(report)) print(line);
    return rotationComplete(report) ? 0 : 3;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await disconnectDatabase();
    await database.stop();
  }
}
