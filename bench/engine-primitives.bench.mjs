// What each kind of query costs on the embedded database at a college's size, so that the service's
// access patterns can be chosen by measurement: point operations by _id against scans (filters, counts,
// sorts, $in, aggregation). Each figure is also given as a ratio to a point read by _id in the same run;
// writes are also timed under both durability settings, as a ratio of one to the other.
// Writes bench/results/engine-primitives-<N>.json. HSB_BENCH_STUDENTS (default 40000) sets the size.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { startEmbeddedDatabase } = require(path.join(root, 'dist/server/db/embedded-database.js'));
const { MongoClient, ObjectId } = require('mongodb');

const N = Number(process.env.HSB_BENCH_STUDENTS ?? 40_000);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hsb-bench-engine-'));

function studentLike(i) {
  return {
    _id: new ObjectId(),
    studentNo: `S${String(i).padStart(6, '0')}`,
    name: `学生${i}`,
    college: i % 4,
    className: `C${i % 400}`,
    careTier: ['regular', 'special', 'hardship'][i % 3],
    guardians: [{ name: '家长', relation: '父亲', phone: '13800000000' }],
    sealed: { medicalHistory: 'x'.repeat(200) },
    lastContactAt: new Date(Date.now() - i * 60_000),
  };
}

async function time(label, reps, fn) {
  await fn(0);
  const samples = [];
  for (let i = 0; i < reps; i += 1) {
    const start = process.hrtime.bigint();
    await fn(i + 1);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { label, reps, p50Ms: Number(samples[Math.floor(samples.length / 2)].toFixed(2)) };
}

/**
 * Writes with each commit synced (`commit`) against commits synced within about 100 ms (`grouped`, the
 * default): two rounds in alternating order, each on a collection the launcher has finished indexing;
 * the median of the two rounds' p50s per setting.
 */
async function durabilityFigures() {
  const rows = { commit: [], grouped: [] };
  for (const durability of ['commit', 'grouped', 'grouped', 'commit']) {
    const dir = mkdtempSync(path.join(os.tmpdir(), `hsb-bench-durability-${durability}-`));
    const db = await startEmbeddedDatabase({ kind: 'ferretdb', dataDir: dir, log: () => undefined, durability });
    const c = await MongoClient.connect(db.uri, { maxPoolSize: 1 });
    try {
      const scratch = c.db('bench').collection('durability');
      const ids = [(await scratch.insertOne({ at: new Date(), warmUp: true })).insertedId];
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      rows[durability].push([
        await time('insertOne', 300, async () => ids.push((await scratch.insertOne({ at: new Date(), text: '家长反馈'.repeat(50) })).insertedId)),
        await time('updateOne {_id} $set', 300, (i) => scratch.updateOne({ _id: ids[i % ids.length] }, { $set: { seen: i } })),
      ]);
    } finally {
      await c.close();
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const median = (rounds, i) => Number(((rounds[0][i].p50Ms + rounds[1][i].p50Ms) / 2).toFixed(2));
  return rows.grouped[0].map((g, i) => {
    const commitP50Ms = median(rows.commit, i);
    const groupedP50Ms = median(rows.grouped, i);
    return { label: g.label, commitP50Ms, groupedP50Ms, groupedOverCommit: Number((groupedP50Ms / commitP50Ms).toFixed(2)) };
  });
}

const durability = await durabilityFigures();
const database = await startEmbeddedDatabase({ kind: 'ferretdb', dataDir, log: () => undefined });
const client = await MongoClient.connect(database.uri, { maxPoolSize: 1 });
try {
  const students = client.db('bench').collection('students');
  for (let i = 0; i < N; i += 1000) {
    await students.insertMany(Array.from({ length: Math.min(1000, N - i) }, (_, j) => studentLike(i + j)));
  }
  // Give the launcher a moment to index the new collection's _id for pushdown.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  // Documents from the middle of the collection: a scan that stops at the first match is not cheap here.
  const middle = await students.find({}).skip(Math.floor(N / 2)).limit(20).toArray();
  const id = (i) => middle[i % middle.length]._id;
  const scanReps = N > 10_000 ? 3 : 10;
  const figures = [
    await time('find {_id}', 200, (i) => students.findOne({ _id: id(i) })),
    await time('insertOne', 200, () => students.insertOne({ scratch: true, at: new Date() })),
    await time('updateOne {_id} $max', 200, (i) => students.updateOne({ _id: id(i) }, { $max: { lastContactAt: new Date() } })),
    await time('findOneAndUpdate {_id} $inc', 200, (i) => students.findOneAndUpdate({ _id: id(i) }, { $inc: { n: 1 } })),
    await time('deleteOne {_id} (absent)', 200, () => students.deleteOne({ _id: new ObjectId() })),
    await time('find {studentNo} (middle)', scanReps, (i) => students.findOne({ studentNo: middle[i % middle.length].studentNo })),
    await time('find {_id, college} (scope in the filter)', scanReps, (i) => students.findOne({ _id: id(i), college: middle[i % middle.length].college })),
    await time('find {college} limit 50', scanReps, () => students.find({ college: 1 }).limit(50).toArray()),
    await time('find {college} sort {studentNo} limit 50', scanReps, () => students.find({ college: 1 }).sort({ studentNo: 1 }).limit(50).toArray()),
    await time('find {_id: {$in: 20}}', scanReps, () => students.find({ _id: { $in: middle.map((m) => m._id) } }).toArray()),
    await time('countDocuments {college}', scanReps, () => students.countDocuments({ college: 1 })),
    await time('aggregate $group careTier', scanReps, () => students.aggregate([{ $group: { _id: '$careTier', n: { $sum: 1 } } }]).toArray()),
  ];
  const base = figures[0].p50Ms;
  const result = {
    date: new Date().toISOString(),
    engine: database.description,
    documents: N,
    figures: figures.map((f) => ({ ...f, timesFindById: Number((f.p50Ms / base).toFixed(1)) })),
    durability,
  };
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `engine-primitives-${N}.json`), JSON.stringify(result, null, 2));
  console.log(`embedded engine at ${N} documents (p50; × a read by _id):`);
  for (const f of result.figures) console.log(`  ${f.label.padEnd(44)} ${String(f.p50Ms).padStart(9)} ms  ${f.timesFindById}×`);
  console.log('durability (p50 on a small collection, two rounds): each commit synced → commits synced within about 100 ms');
  for (const d of durability) console.log(`  ${d.label.padEnd(44)} ${d.commitP50Ms} ms → ${d.groupedP50Ms} ms  (${d.groupedOverCommit}×)`);
} finally {
  await client.close();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
