// Runs the compiled service as `npm start` does (embedded FerretDB in a data folder), finds its database
// process, and reads the memory of both from /proc.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** The Node flags `npm start` gives the service (package.json), so that the bench measures what runs. */
export function serviceNodeFlags(root) {
  const start = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
  const match = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/server\/main\.js/.exec(start);
  if (!match) throw new Error(`package.json "start" does not run node dist/server/main.js: ${start}`);
  return match[1].trim().split(/\s+/).filter(Boolean);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `dist/server/main.js` on the data folder and waits for "is ready". `seedDemo` lets the service
 * make its demo school (admin, API key) on an empty folder; the key is read from the start-up summary.
 */
export async function startService(root, { dataDir, seedDemo, timeoutMs, env = {} }) {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [...serviceNodeFlags(root), path.join(root, 'dist', 'server', 'main.js')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HSB_DATA_DIR: dataDir,
      MONGODB_URI: '',
      HSB_EMBEDDED_DB: 'ferretdb',
      HSB_LOG_LEVEL: process.env.HSB_LOG_LEVEL ?? 'warn',
      HSB_SEED_DEMO: seedDemo ? 'true' : 'false',
      // The dashboard's figures are recomputed in the background every few minutes (≈ 40 s of database
      // time at 40,000 students): left on, that lands in whichever case runs then. The dashboard scenario
      // recomputes them itself (POST /api/dashboard/refresh).
      HSB_DASHBOARD_REFRESH_MS: process.env.HSB_DASHBOARD_REFRESH_MS ?? '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => {
    output += chunk;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + timeoutMs;
  while (!output.includes('is ready')) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not start within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const apiKey = /^ {2}API key +(hsb_\S+)/m.exec(output)?.[1];
  const database = databaseProcessOf(child.pid);
  return {
    child,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    startMs: Date.now() - started,
    apiKey,
    database,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields after the last ")" are plain.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandLineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The embedded FerretDB launched by the service: its pid and the address it listens on. */
export function databaseProcessOf(servicePid) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || parentOf(entry) !== servicePid) continue;
    const args = commandLineOf(entry);
    const listen = args[args.indexOf('-listen') + 1];
    if (args.includes('-listen') && listen) return { pid: Number(entry), uri: `mongodb://${listen}/`, command: path.basename(args[0] ?? '') };
  }
  throw new Error(`no embedded database process found under the service (pid ${servicePid})`);
}

/** Resident and peak resident memory of a process in MB (VmRSS, VmHWM), or undefined once it is gone. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}
