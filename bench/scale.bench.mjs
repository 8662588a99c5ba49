// `npm run bench` at a real college's size (issue #10): seeds a school of HSB_BENCH_STUDENTS students once
// (cached outside the repository), starts the compiled service on it with the embedded FerretDB, runs the
// scenarios in scale/scenarios (each against a raw baseline measured in the same run on the same
// database), and writes bench/results/scale-<N>.json plus a short summary. Knobs: scale/options.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient, ObjectId } from 'mongodb';
import { apiClient, memorySampler } from './scale/measure.mjs';
import { readOptions } from './scale/options.mjs';
import { scenarios } from './scale/scenarios/index.mjs';
import { DB_NAME, ensureSchool } from './scale/seed-school.mjs';
import { startService } from './scale/service-process.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const began = Date.now();
const log = (line) => console.log(`[bench ${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`);

/** Collections the scenarios write to; what they added is removed afterwards so the cached school stays as seeded. */
const WRITTEN = ['contacts', 'submissions', 'webhookdeliveries', 'webhookdeliverylog', 'auditentries', 'idempotencyrecords'];

async function sampleSchool(db, apiKey) {
  const colleges = await db.collection('colleges').find({}).sort({ code: 1 }).toArray();
  const all = await db.collection('students').find({}).project({ studentNo: 1, name: 1, guardians: 1 }).toArray();
  // A fixed spread over the whole roster (every college, demo and seeded students alike).
  const step = Math.max(1, Math.floor(all.length / 500));
  const sample = all.filter((_, i) => i % step === 0);
  const keyId = /^hsb_([^_]+)_/.exec(apiKey)?.[1];
  const key = (keyId && (await db.collection('apikeys').findOne({ keyId }))) || (await db.collection('apikeys').findOne({}));
  return {
    colleges,
    students: sample,
    pick: (i) => sample[(Math.abs(i) * 7919) % sample.length],
    apiKeyOwner: String(key?.owner ?? colleges[0]._id),
  };
}

async function main() {
  const options = readOptions();
  log(`school of ${options.students.toLocaleString('en')} students${options.quick ? ', quick run' : ''}; ${options.seconds} s / ${options.iterations} operations per case`);
  const seeded = await ensureSchool(root, options, log);
  const service = await startService(root, { dataDir: options.dataDir, seedDemo: false, timeoutMs: options.startTimeoutMs });
  log(`service up in ${service.startMs} ms (pid ${service.pid}), ${service.database.command} pid ${service.database.pid} at ${service.database.uri}`);
  // The pass over the archives that every start makes (student numbers, student directory) runs in the
  // background; the scenarios measure the service after it, as it runs all day.
  const passStarted = Date.now();
  while (!/student archives read in/.test(service.output())) {
    if (service.child.exitCode !== null) throw new Error(`the service exited:\n${service.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const startUpPassMs = Date.now() - passStarted + service.startMs;
  log(`start-up pass over the archives done ${(startUpPassMs / 1000).toFixed(1)} s after the start`);
  // One connection, as the service has to the embedded FerretDB (see server/db/embedded-database.ts).
  const client = new MongoClient(service.database.uri, { directConnection: true, maxPoolSize: 1 });
  const results = {};
  let memory;
  const runStart = ObjectId.createFromTime(Math.floor(Date.now() / 1000) - 1);
  try {
    await client.connect();
    const db = client.db(DB_NAME);
    const school = await sampleSchool(db, seeded.apiKey);
    memory = memorySampler({ service: service.pid, database: service.database.pid });
    const ctx = { options, api: apiClient(service.url, seeded.apiKey), db, school, memory, service: { url: service.url, pid: service.pid }, database: service.database, log };
    for (const scenario of scenarios) {
      if (options.only.length && !options.only.includes(scenario.name)) continue;
      log(`${scenario.name}…`);
      const started = Date.now();
      try {
        results[scenario.name] = { ...(await scenario.run(ctx)), seconds: Math.round((Date.now() - started) / 1000) };
        for (const line of results[scenario.name].lines ?? []) log(`  ${line}`);
      } catch (error) {
        results[scenario.name] = { error: error instanceof Error ? error.message : String(error) };
        log(`  FAILED: ${results[scenario.name].error}`);
      }
    }
    memory.mark('after');
    if (!options.keep) {
      for (const name of WRITTEN) await db.collection(name).deleteMany({ _id: { $gte: runStart } }).catch(() => undefined);
    }
  } finally {
    await client.close().catch(() => undefined);
    const memoryFigures = memory?.stop();
    await service.stop();
    const output = {
      date: new Date().toISOString(),
      node: process.version,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
      database: `embedded FerretDB (${service.database.command}), one connection`,
      options: { ...options, dataDir: undefined },
      school: { ...seeded, apiKey: undefined },
      serviceStartMs: service.startMs,
      startUpPassMs,
      scenarios: results,
      memoryMb: memoryFigures,
    };
    const dir = path.join(root, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `scale-${options.students}.json`);
    writeFileSync(file, JSON.stringify(output, null, 2));
    printSummary(output, file);
  }
}

function printSummary(output, file) {
  const say = (line = '') => console.log(line);
  say();
  say(`Home–School Bridge at ${output.school.students.toLocaleString('en')} students (${output.database}; ${output.machine.cpus} cores)`);
  say(`  service start ${(output.serviceStartMs / 1000).toFixed(1)} s`);
  for (const [name, result] of Object.entries(output.scenarios)) {
    if (result.error) say(`  ${name}: FAILED ${result.error}`);
    for (const line of result.lines ?? []) say(`  ${line}`);
  }
  const phases = output.memoryMb?.byPhase ?? {};
  const most = (who) => Math.max(0, ...Object.values(phases).map((p) => p[who]?.maxRssMb ?? 0));
  say(`  memory under load: service RSS ≤ ${most('service')} MB, database RSS ≤ ${most('database')} MB`);
  say(`  → ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
