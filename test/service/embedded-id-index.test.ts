import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedDatabase, type RunningDatabase } from '../../server/db/embedded-database';

// FerretDB answers {_id: value} with `WHERE _ferretdb_sjson->'$._id' = ?`; SQLite serves that from an index
// only when one is declared on exactly that expression. The launcher keeps one beside every collection.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hsb-id-index-'));
const dbFile = path.join(dataDir, 'ferretdb', 'pushdown.sqlite');
let database: RunningDatabase;
let client: mongoose.mongo.MongoClient;

function sqlite(sql: string): string {
  return execFileSync('sqlite3', [dbFile, sql], { encoding: 'utf8' }).trim();
}

function planOfIdLookup(collection: string): string {
  const table = sqlite(`SELECT table_name FROM _ferretdb_collections WHERE name = '${collection}'`);
  return sqlite(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "${table}" WHERE _ferretdb_sjson->'$._id' = '"abc"'`);
}

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  database = await startEmbeddedDatabase({ kind: 'ferretdb', dataDir, log: () => undefined });
  client = await mongoose.mongo.MongoClient.connect(database.uri);
}, 120_000);
afterAll(async () => {
  await client.close();
  await database.stop();
});

it('a collection created while the database runs gets an index that serves lookups by _id', async () => {
  await client.db('pushdown').collection('students').insertMany([{ _id: 'a' }, { _id: 'b' }] as never[]);
  await eventually(() => /USING INDEX/.test(planOfIdLookup('students')));
  expect(planOfIdLookup('students')).toMatch(/SEARCH .* USING INDEX \S+__id_pushdown/);
});

it('a collection that existed before the database started is indexed at start', async () => {
  await client.db('pushdown').collection('contacts').insertOne({ _id: 'c' } as never);
  await client.close();
  await database.stop();
  const table = sqlite(`SELECT table_name FROM _ferretdb_collections WHERE name = 'contacts'`);
  sqlite(`DROP INDEX IF EXISTS "${table}__id_pushdown"`);
  expect(planOfIdLookup('contacts')).toMatch(/SCAN/);

  database = await startEmbeddedDatabase({ kind: 'ferretdb', dataDir, log: () => undefined });
  client = await mongoose.mongo.MongoClient.connect(database.uri);
  expect(planOfIdLookup('contacts')).toMatch(/SEARCH .* USING INDEX \S+__id_pushdown/);
  expect(await client.db('pushdown').collection('contacts').findOne({ _id: 'c' } as never)).toEqual({ _id: 'c' });
});
