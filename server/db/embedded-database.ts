import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { EmbeddedDatabaseKind, EmbeddedDurability } from '../config/config';
import { ensureFerretDbBinary, FERRETDB_VERSION } from './ferretdb-binary';

export interface RunningDatabase {
  uri: string;
  /** Human-readable description printed at start, e.g. "embedded FerretDB 1.24.2 (SQLite) in ./data/db". */
  description: string;
  /** Why this engine was chosen when it was not the first choice (e.g. offline, so no mongod). */
  why?: string;
  /** Connections the service may open to it (see startFerretDb). */
  maxPoolSize?: number;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  kind: EmbeddedDatabaseKind;
  dataDir: string;
  log: (message: string) => void;
  /** How long to wait for a mongod download before falling back to FerretDB. */
  mongodTimeoutMs?: number;
  /** FerretDB only; `grouped` unless told. */
  durability?: EmbeddedDurability;
}

const SQLITE_SYNCHRONOUS: Record<EmbeddedDurability, string> = { commit: 'full', grouped: 'normal' };
const DURABILITY_TEXT: Record<EmbeddedDurability, string> = { commit: 'each commit on disk before it is acknowledged', grouped: 'commits on disk within ≈ 100 ms' };

/** Exit code of the launcher when another process already serves the same data folder. */
const DATA_DIR_LOCKED = 3;

export class DataDirInUseError extends Error {
  constructor(detail: string) {
    super(
      `The embedded database's data folder is in use by another service process (${detail.replace(/^ferretdb: /, '')}). ` +
        'Stop that service first, or give this one its own HSB_DATA_DIR. / 数据目录正被另一个服务进程使用，请先停止该进程或为本服务设置不同的 HSB_DATA_DIR。',
    );
    this.name = 'DataDirInUseError';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode === DATA_DIR_LOCKED) {
        reject(new DataDirInUseError(output().trim()));
        return;
      }
      if (child.exitCode !== null) {
        reject(new Error(`embedded FerretDB exited with code ${child.exitCode}: ${output()}`));
        return;
      }
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`embedded FerretDB did not listen within ${timeoutMs} ms: ${output()}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

async function startFerretDb(dataDir: string, log: (message: string) => void, durability: EmbeddedDurability = 'grouped'): Promise<RunningDatabase> {
  const binary = await ensureFerretDbBinary(log);
  const dbDir = path.join(dataDir, 'ferretdb');
  mkdirSync(dbDir, { recursive: true });
  const port = await freePort();
  // stdin stays open for the launcher's lifetime: when this process dies, however it dies, the pipe
  // closes and the launcher stops, so no orphaned database keeps the data folder.
  const child = spawn(binary, ['-listen', `127.0.0.1:${port}`, '-data', dbDir, '-log-level', 'error', '-exit-with-stdin', '-synchronous', SQLITE_SYNCHRONOUS[durability]], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin?.on('error', () => undefined);
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await waitForPort(port, child, () => output, 30_000);
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    description: `embedded FerretDB ${FERRETDB_VERSION} (MongoDB wire protocol, SQLite storage, ${DURABILITY_TEXT[durability]}) in ${dbDir}`,
    // FerretDB 1.24 applies an update as read-modify-write of the whole document without isolation, so
    // two connections updating one document at once lose each other's changes (measured: 81 of 100
    // concurrent $set lost). Over one connection its commands run one after another and none is lost.
    // The data folder belongs to this process alone (the launcher's lock), so this one connection is the
    // only writer there is.
    maxPoolSize: 1,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

async function startMongod(dataDir: string, timeoutMs: number): Promise<RunningDatabase> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const dbPath = path.join(dataDir, 'mongod');
  mkdirSync(dbPath, { recursive: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`mongod not available within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const server = await Promise.race([
      MongoMemoryServer.create({ instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1' } }),
      timeout,
    ]);
    return {
      uri: server.getUri(),
      description: `embedded mongod (mongodb-memory-server) in ${dbPath}`,
      stop: async () => {
        await server.stop({ doCleanup: false });
      },
    };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Starts the embedded database: a real mongod where it can be downloaded, otherwise FerretDB.
 * Data stays in dataDir across restarts.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<RunningDatabase> {
  const { kind, dataDir, log, durability } = options;
  if (kind === 'ferretdb') return startFerretDb(dataDir, log, durability);
  if (kind === 'auto') {
    // Only this check needs mongodb-memory-server (tens of megabytes): not loaded when FerretDB is chosen.
    const { mongodAvailability } = await import('./mongod-availability');
    const availability = await mongodAvailability();
    if (!availability.available) {
      const ferret = await startFerretDb(dataDir, log, durability);
      return { ...ferret, why: availability.reason };
    }
    if (availability.download) log('downloading mongod for the embedded database (first start only)…');
  }
  try {
    return await startMongod(dataDir, options.mongodTimeoutMs ?? 120_000);
  } catch (error) {
    if (kind === 'mongod') throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const ferret = await startFerretDb(dataDir, log, durability);
    return { ...ferret, why: `mongod could not be started (${reason})` };
  }
}
