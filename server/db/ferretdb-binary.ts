import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FERRETDB_VERSION = '1.24.2';

/** Folder outside the clone where heavy, reusable artefacts (the FerretDB binary, n8n) are kept. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HSB_CACHE ?? path.join(os.homedir(), '.cache', 'home-school-bridge');
}

function sourceDir(): string {
  // Works from both server/db (ts-jest) and dist/server/db (compiled).
  const candidates = [path.join(__dirname, 'ferretdb'), path.join(__dirname, '..', '..', '..', 'server', 'db', 'ferretdb')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'go.mod')));
  if (!found) throw new Error('FerretDB launcher sources (server/db/ferretdb) not found');
  return found;
}

/** The cached binary is named after a hash of the launcher's sources (its tests aside), so a changed launcher is always rebuilt. */
export function ferretDbBinaryPath(): string {
  const hash = createHash('sha256');
  const sources = readdirSync(sourceDir())
    .filter((file) => (file.endsWith('.go') && !file.endsWith('_test.go')) || file === 'go.mod' || file === 'go.sum')
    .sort();
  for (const file of sources) hash.update(file).update(readFileSync(path.join(sourceDir(), file)));
  return path.join(cacheDir(), 'bin', `ferretdb-${FERRETDB_VERSION}-${hash.digest('hex').slice(0, 12)}`);
}

/**
 * Returns the path of the embedded FerretDB launcher, building it with Go on first use.
 * The build only needs the Go module proxy.
 */
export async function ensureFerretDbBinary(log: (message: string) => void): Promise<string> {
  const binary = ferretDbBinaryPath();
  if (existsSync(binary)) return binary;
  mkdirSync(path.dirname(binary), { recursive: true });
  log(`building the embedded FerretDB ${FERRETDB_VERSION} with Go (first start only, a few minutes)…`);
  const partial = `${binary}.${process.pid}.partial`;
  try {
    await run('go', ['build', '-o', partial, '.'], {
      cwd: sourceDir(),
      env: { ...process.env, GOFLAGS: '-mod=mod' },
      maxBuffer: 16 * 1024 * 1024,
    });
    renameSync(partial, binary);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not build the embedded FerretDB (is Go ≥ 1.24 installed?). Set MONGODB_URI to use a real MongoDB instead.\n${reason}`,
    );
  }
  return binary;
}
