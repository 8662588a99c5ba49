import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/test-service';

const run = promisify(execFile);
const INSERTS = 200;
/** How long the writer stays idle after its last insert before it stops the database. */
const IDLE_MS = 1_500;

interface Trace {
  stored: number;
  /** Epoch seconds of every fsync or fdatasync the launcher (or anything under the writer) made. */
  syncs: number[];
  lastAckAt: number;
  stopAt: number;
}

/** Inserts through the embedded database, started as the service starts it, under strace. */
async function traceInserts(durability: 'commit' | 'grouped'): Promise<Trace> {
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'hsb-strace-')), 'syncs.txt');
  const writer = path.join(ROOT, 'test/support/write-embedded.mjs');
  const { stdout } = await run('strace', ['-f', '--seccomp-bpf', '-ttt', '-o', log, '-e', 'trace=fsync,fdatasync', process.execPath, writer, durability, String(INSERTS), String(IDLE_MS)], {
    timeout: 110_000,
  });
  const answer = JSON.parse(stdout.trim().split('\n').pop()!) as { stored: number; lastAckAt: number; stopAt: number };
  const syncs = [...readFileSync(log, 'utf8').matchAll(/^\d+\s+(\d+\.\d+) f(?:data)?sync\(/gm)].map((m) => Number(m[1]));
  return { ...answer, syncs, lastAckAt: answer.lastAckAt / 1000, stopAt: answer.stopAt / 1000 };
}

describe('embedded database durability (HSB_EMBEDDED_DURABILITY)', () => {
  it('commit: every acknowledged insert was synced to disk before its answer', async () => {
    const trace = await traceInserts('commit');
    expect(trace.stored).toBe(INSERTS);
    expect(trace.syncs.filter((at) => at <= trace.lastAckAt).length).toBeGreaterThanOrEqual(INSERTS);
  }, 120_000);

  it('grouped (the default): syncs come in groups, and the last commits reach the disk while the database runs on', async () => {
    const trace = await traceInserts('grouped');
    expect(trace.stored).toBe(INSERTS);
    expect(trace.syncs.filter((at) => at <= trace.lastAckAt).length).toBeLessThan(INSERTS / 4);
    // Not the sync at shutdown: one made by the launcher on its own after the last insert was acknowledged.
    expect(trace.syncs.filter((at) => at > trace.lastAckAt && at < trace.stopAt).length).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
