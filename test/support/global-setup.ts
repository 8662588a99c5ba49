import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase } from '../../server/db/embedded-database';

/**
 * One real MongoDB-wire server for the whole run (MONGODB_URI, else the same embedded resolver as
 * `npm start`: mongod where it can be downloaded, else FerretDB). Each test file gets its own database.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    process.env.HSB_TEST_MONGODB_URI = process.env.MONGODB_URI;
    console.log(`\n[tests] database: MongoDB at MONGODB_URI`);
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hsb-test-db-'));
  const kind = (process.env.HSB_EMBEDDED_DB as 'auto' | 'mongod' | 'ferretdb' | undefined) ?? 'auto';
  const database = await startEmbeddedDatabase({ kind, dataDir, log: (m) => console.log(`[tests] ${m}`), mongodTimeoutMs: 30_000 });
  process.env.HSB_TEST_MONGODB_URI = database.uri;
  if (database.maxPoolSize) process.env.HSB_DB_POOL_SIZE = String(database.maxPoolSize);
  console.log(`\n[tests] database: ${database.description}`);
  (globalThis as { __hsbTestDatabase?: typeof database }).__hsbTestDatabase = database;
}
