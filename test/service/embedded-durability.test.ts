import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureFerretDbBinary } from '../../server/db/ferretdb-binary';
import { ROOT } from '../support/test-service';

const run = promisify(execFile);
const INSERTS = 200;
/** How long the writer stays idle after its last insert before it stops the database. */
const IDLE_MS = 1_500;
/** The promise is about 100 ms; the rest is room for a busy machine. */
const SYNCED_WITHIN_S = 0.5;

interface WalCall {
  call: 'write' | 'sync';
  at: number;
  file: string;
}

interface Trace {
  stored: number;
  walCalls: WalCall[];
  lastAckAt: number;
  stopAt: number;
}

/** Inserts through the embedded database, started as the service starts it, under strace: every write and sync of a write-ahead log. */
async function traceInserts(durability: 'commit' | 'grouped'): Promise<Trace> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hsb-strace-'));
  const log = path.join(dir, 'calls.txt');
  const writer = path.join(ROOT, 'test/support/write-embedded.mjs');
  try {
    const { stdout } = await run(
      'strace',
      ['-f', '--seccomp-bpf', '-ttt', '-y', '-s', '0', '-o', log, '-e', 'trace=pwrite64,write,fsync,fdatasync', process.execPath, writer, durability, String(INSERTS), String(IDLE_MS)],
      { timeout: 110_000 },
    );
    const answer = JSON.parse(stdout.trim().split('\n').pop()!) as { stored: number; lastAckAt: number; stopAt: number };
    const walCalls = [...readFileSync(log, 'utf8').matchAll(/^\d+\s+(\d+\.\d+) (pwrite64|write|fsync|fdatasync)\(\d+<([^>]+\.sqlite-wal)>/gm)].map((m) => ({
      call: m[2]!.includes('sync') ? ('sync' as const) : ('write' as const),
      at: Number(m[1]),
      file: m[3]!,
    }));
    return { stored: answer.stored, walCalls, lastAckAt: answer.lastAckAt / 1000, stopAt: answer.stopAt / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  try {
    await run('strace', ['-f', '-o', '/dev/null', 'true']);
  } catch (error) {
    throw new Error(`this test counts the embedded database's disk syncs with strace: install it (apt-get install strace) and allow ptrace. ${String(error)}`);
  }
  // Built before anything is traced, should this be the first use.
  await ensureFerretDbBinary(() => undefined);
}, 600_000);

describe('embedded database durability (HSB_EMBEDDED_DURABILITY)', () => {
  it('commit: every acknowledged insert was synced to disk before its answer', async () => {
    const trace = await traceInserts('commit');
    expect(trace.stored).toBe(INSERTS);
    const syncs = trace.walCalls.filter((c) => c.call === 'sync' && c.at <= trace.lastAckAt);
    expect(syncs.length).toBeGreaterThanOrEqual(INSERTS);
  }, 120_000);

  it('grouped (the default): the log is synced in groups, and every write reaches the disk soon after while the database runs on', async () => {
    const trace = await traceInserts('grouped');
    expect(trace.stored).toBe(INSERTS);
    const writes = trace.walCalls.filter((c) => c.call === 'write' && c.at < trace.stopAt);
    const syncs = trace.walCalls.filter((c) => c.call === 'sync');
    expect(writes.length).toBeGreaterThanOrEqual(INSERTS);
    expect(syncs.filter((c) => c.at <= trace.lastAckAt).length).toBeLessThan(INSERTS / 4);
    // Not the sync at shutdown: each write is followed by a sync of its log made by the launcher on its own.
    const unsynced = writes.filter((w) => !syncs.some((s) => s.file === w.file && s.at > w.at && s.at <= w.at + SYNCED_WITHIN_S && s.at < trace.stopAt));
    expect({ writes: writes.length, unsynced: unsynced.length }).toEqual({ writes: writes.length, unsynced: 0 });
  }, 120_000);
});
