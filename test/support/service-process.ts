import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from './test-service';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Runs the compiled service as `npm start` does (embedded FerretDB in `dataDir`), without waiting. */
export function launch(dataDir: string, port: number, env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'server', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HSB_DATA_DIR: dataDir, MONGODB_URI: '', HSB_EMBEDDED_DB: 'ferretdb', HSB_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** Launches the service and waits until its start-up summary says it is ready. */
export async function start(dataDir: string, port: number, env: Record<string, string> = {}): Promise<Started> {
  const started = launch(dataDir, port, env);
  const deadline = Date.now() + 120_000;
  while (!started.output().includes('is ready')) {
    if (started.child.exitCode !== null) throw new Error(`service exited: ${started.output()}`);
    if (Date.now() > deadline) throw new Error(`service did not start: ${started.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return started;
}

/** Stops the service with SIGTERM; a process that has already exited (or was killed) resolves at once. */
export function stop(started: Started): Promise<number | null> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return Promise.resolve(started.child.exitCode);
  return new Promise((resolve) => {
    started.child.once('exit', (code) => resolve(code));
    started.child.kill('SIGTERM');
  });
}
