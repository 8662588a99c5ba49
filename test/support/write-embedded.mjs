// Starts the embedded database as the service does, with the durability named on the command line,
// makes `count` acknowledged inserts, waits `idleMs`, stops it and prints how many documents were there
// and when (epoch ms) the last insert was acknowledged and the stop began.
// Run under strace by embedded-durability.test.ts to count the launcher's syncs.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { startEmbeddedDatabase } = require(path.join(root, 'dist/server/db/embedded-database.js'));
const { MongoClient } = require('mongodb');

const [durability, count, idleMs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 0)];
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hsb-durability-'));
const database = await startEmbeddedDatabase({ kind: 'ferretdb', dataDir, log: () => undefined, durability });
const client = await MongoClient.connect(database.uri, { maxPoolSize: 1 });
try {
  const feedback = client.db('durability').collection('feedback');
  // The launcher indexes a new collection within a second, a write of its own: done before what is traced.
  await feedback.insertOne({ i: -1, text: 'warm-up' });
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  await feedback.deleteOne({ i: -1 });
  for (let i = 0; i < count; i += 1) await feedback.insertOne({ i, text: '家长已收到告家长书' });
  const lastAckAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, idleMs));
  const stopAt = Date.now();
  console.log(JSON.stringify({ stored: await feedback.countDocuments({}), lastAckAt, stopAt }));
} finally {
  await client.close();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
