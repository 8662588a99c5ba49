import path from 'node:path';
import type { AppConfig } from '../config/config';
import { startEmbeddedDatabase, type RunningDatabase } from './embedded-database';

function redactUri(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//***@');
}

/** MONGODB_URI when configured, otherwise the embedded database in the data folder. */
export async function resolveDatabase(config: AppConfig, log: (message: string) => void): Promise<RunningDatabase> {
  if (config.mongodbUri) {
    return {
      uri: config.mongodbUri,
      description: `MongoDB at ${redactUri(config.mongodbUri)}`,
      stop: async () => undefined,
    };
  }
  return startEmbeddedDatabase({
    kind: config.embeddedDatabase,
    dataDir: path.join(config.dataDir, 'db'),
    log,
    durability: config.embeddedDurability,
  });
}
