// Our n8n nodes on many items against n8n's own HTTP Request node making the same calls item by item (#10),
// in a real n8n 2.x with our package installed as the README tells a user to: the service on a fresh demo
// school (embedded database), the Student Archive node's Get on every student, and an HTTP Request node
// GETting the same /api/students/:number with the same API key. Each workflow is run headless with
// `n8n execute`, rounds alternating; the node's own execution time (from n8n's run data) is compared.
// Results in bench/results/n8n-items.json. Knobs: HSB_BENCH_N8N_ITEMS (1000), HSB_BENCH_N8N_ROUNDS (3).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publicApi } from '../scripts/n8n/public-api.mjs';
import { upsertCredential } from '../scripts/n8n/credentials.mjs';
import { freePort, startService } from './scale/service-process.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ITEMS = Number(process.env.HSB_BENCH_N8N_ITEMS ?? 1000);
const ROUNDS = Number(process.env.HSB_BENCH_N8N_ROUNDS ?? 3);
const began = Date.now();
const log = (line) => console.log(`[n8n-items ${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function waitFor(url, seconds) {
  for (let i = 0; i < seconds * 2; i += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

/** The owner set up and an API key made, as a user does once in the editor. */
async function n8nApiKey(n8nUrl) {
  const setup = await fetch(`${n8nUrl}/rest/owner/setup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'owner@bench.edu.cn', firstName: 'Owner', lastName: 'Bench', password: 'Bench-owner-passw0rd' }),
  });
  if (!setup.ok) throw new Error(`n8n owner setup → ${setup.status}`);
  const cookie = setup.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const scopes = (await (await fetch(`${n8nUrl}/rest/api-keys/scopes`, { headers: { Cookie: cookie } })).json()).data;
  const created = await fetch(`${n8nUrl}/rest/api-keys`, {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/json' },
    body: JSON.stringify({ label: 'bench', scopes, expiresAt: null }),
  });
  return (await created.json()).data.rawApiKey;
}

async function studentNumbers(serviceUrl, apiKey, count) {
  const numbers = [];
  for (let skip = 0; numbers.length < count; skip += 100) {
    const response = await fetch(`${serviceUrl}/api/students?limit=100&skip=${skip}`, { headers: { 'X-API-Key': apiKey } });
    const page = await response.json();
    if (!response.ok || page.items.length === 0) break;
    numbers.push(...page.items.map((s) => s.studentNo));
  }
  if (numbers.length < count) throw new Error(`the demo school has ${numbers.length} students, fewer than ${count}`);
  return numbers.slice(0, count);
}

/** Manual trigger → a Code node making one item per student → the node under test. */
function workflow(name, numbers, target) {
  return {
    name,
    settings: { executionOrder: 'v1' },
    nodes: [
      { id: 'trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
      {
        id: 'items', name: 'Students', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0],
        parameters: { jsCode: `return ${JSON.stringify(numbers)}.map((studentNo) => ({ json: { studentNo } }));` },
      },
      { id: 'target', name: 'Target', position: [440, 0], ...target },
    ],
    connections: {
      Start: { main: [[{ node: 'Students', type: 'main', index: 0 }]] },
      Students: { main: [[{ node: 'Target', type: 'main', index: 0 }]] },
    },
  };
}

function execute(n8n, env, id, work) {
  // Into a file: n8n exits right after printing, and a pipe would lose the end of a large run's data.
  const file = path.join(work, `execute-${id}.json`);
  const fd = openSync(file, 'w');
  const ran = spawnSync(n8n.node, [n8n.bin, 'execute', `--id=${id}`, '--rawOutput'], { env, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  closeSync(fd);
  const output = readFileSync(file, 'utf8');
  if (ran.status !== 0 || !output.includes('{')) throw new Error(`n8n execute --id=${id} exited ${ran.status}:\n${output.slice(-2000)}\n${(ran.stderr ?? '').slice(-2000)}`);
  const run = JSON.parse(output.slice(output.indexOf('{')));
  const target = run.data?.resultData?.runData?.Target?.[0];
  const items = target?.data?.main?.[0] ?? [];
  if (run.data?.resultData?.error || target?.error) throw new Error(`workflow ${id} failed: ${(run.data.resultData.error ?? target.error).message}`);
  if (items.length !== ITEMS || items.some((item) => !item.json?.studentNo)) throw new Error(`workflow ${id} answered ${items.length} items, not ${ITEMS} students`);
  return target.executionTime;
}

async function main() {
  const [nodeBin, n8nHome] = execFileSync('bash', [path.join(root, '.ci', 'install-n8n.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').slice(-2);
  const n8n = { node: path.join(nodeBin, 'node'), bin: path.join(n8nHome, 'node_modules', 'n8n', 'bin', 'n8n') };
  const work = mkdtempSync(path.join(os.tmpdir(), 'hsb-n8n-items-'));
  let service;
  let n8nProcess;
  try {
    service = await startService(root, { dataDir: path.join(work, 'service'), seedDemo: true, timeoutMs: 600_000, env: { HSB_LOG_LEVEL: 'warn' } });
    log(`service up at ${service.url} (demo school)`);
    const numbers = await studentNumbers(service.url, service.apiKey, ITEMS);

    const tarball = execFileSync(process.execPath, [path.join(root, 'scripts', 'pack-n8n-package.mjs')], { cwd: root, encoding: 'utf8' }).trim().split('\n').at(-1);
    const userFolder = path.join(work, 'n8n');
    const nodesDir = path.join(userFolder, '.n8n', 'nodes');
    mkdirSync(nodesDir, { recursive: true });
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', tarball], { cwd: nodesDir, stdio: 'ignore' });
    const n8nPort = await freePort();
    const n8nUrl = `http://127.0.0.1:${n8nPort}`;
    const env = {
      ...process.env, N8N_USER_FOLDER: userFolder, N8N_PORT: String(n8nPort), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_DIAGNOSTICS_ENABLED: 'false',
      N8N_VERSION_NOTIFICATIONS_ENABLED: 'false', N8N_PERSONALIZATION_ENABLED: 'false', N8N_SECURE_COOKIE: 'false', N8N_ENCRYPTION_KEY: `bench-${Date.now()}`,
      DB_SQLITE_POOL_SIZE: '2', N8N_RUNNERS_ENABLED: 'false', N8N_LOG_LEVEL: 'warn', N8N_RUNNERS_BROKER_PORT: String(await freePort()),
    };
    n8nProcess = spawn(n8n.node, [n8n.bin, 'start'], { env, stdio: 'ignore' });
    await waitFor(`${n8nUrl}/healthz/readiness`, 180);
    const api = publicApi(n8nUrl, await n8nApiKey(n8nUrl));
    const credential = await upsertCredential(api, { name: 'Home–School Bridge (bench)', type: 'homeSchoolBridgeApi', data: { baseUrl: service.url, apiKey: service.apiKey } });
    log(`n8n up at ${n8nUrl}, package installed from ${path.basename(tarball)}`);

    const ours = await api.post('/workflows', workflow('Bench · Student Archive › Get', numbers, {
      type: 'n8n-nodes-home-school-bridge.studentArchive', typeVersion: 1,
      parameters: { resource: 'student', operation: 'get', student: '={{ $json.studentNo }}' },
      credentials: { homeSchoolBridgeApi: { id: credential.id, name: credential.name } },
    }));
    const http = await api.post('/workflows', workflow('Bench · HTTP Request', numbers, {
      type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2,
      parameters: {
        method: 'GET', url: `={{ "${service.url}/api/students/" + encodeURIComponent($json.studentNo) }}`,
        sendHeaders: true, headerParameters: { parameters: [{ name: 'X-API-Key', value: service.apiKey }] }, options: {},
      },
    }));
    // Each execution is a process of its own; the n8n server is stopped so that both runs have the machine alike.
    n8nProcess.kill('SIGTERM');
    await new Promise((resolve) => n8nProcess.once('exit', resolve));
    n8nProcess = undefined;
    const runEnv = { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), N8N_LOG_LEVEL: 'info' };
    execute(n8n, runEnv, ours.id, work);
    execute(n8n, runEnv, http.id, work);
    const rounds = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const oursMs = execute(n8n, runEnv, ours.id, work);
      const httpMs = execute(n8n, runEnv, http.id, work);
      rounds.push({ oursMs, httpMs });
      log(`round ${round}: Student Archive › Get ${oursMs} ms, HTTP Request ${httpMs} ms for ${ITEMS} items`);
    }
    const oursMs = median(rounds.map((r) => r.oursMs));
    const httpMs = median(rounds.map((r) => r.httpMs));
    const result = {
      date: new Date().toISOString(), node: process.version, machine: { cpus: os.cpus().length }, n8n: path.basename(n8nHome), items: ITEMS, rounds,
      about: `Student Archive › Get on ${ITEMS} students vs n8n's HTTP Request node GETting the same /api/students/:number item by item (node execution time from n8n's run data, median of ${ROUNDS} alternating rounds after one unmeasured run of each)`,
      medianMs: { ours: oursMs, httpRequest: httpMs }, ratio: Number((oursMs / httpMs).toFixed(3)),
    };
    mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(path.join(root, 'bench', 'results', 'n8n-items.json'), `${JSON.stringify(result, null, 2)}\n`);
    log(`${ITEMS} items: ours ${oursMs} ms, HTTP Request ${httpMs} ms → ${result.ratio}× (goal ≤ 1.0) → bench/results/n8n-items.json`);
  } finally {
    n8nProcess?.kill('SIGKILL');
    await service?.stop();
    if (process.env.HSB_BENCH_KEEP) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
