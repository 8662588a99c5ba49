import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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

/**
 * Returns the path of the embedded FerretDB launcher, building it with Go on first use.
 * The build only needs the Go module proxy; the result is cached by version.
 */
export async function ensureFerretDbBinary(log: (message: string) => void): Promise<string> {
  const binary = path.join(cacheDir(), 'bin', `ferretdb-${FERRETDB_VERSION}`);
  if (existsSync(binary)) return binary;
  mkdirSync(path.dirname(binary), { recursive: true });
  log(`building embedded FerretDB ${FERRETDB_VERSION} with Go (first run only, a few minutes) → ${binary}`);
  try {
    await run('go', ['build', '-o', binary, '.'], {
      cwd: sourceDir(),
      env: { ...process.env, GOFLAGS: '-mod=mod' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not build the embedded FerretDB (is Go ≥ 1.24 installed?). Set MONGODB_URI to use a real MongoDB instead.\n${reason}`,
    );
  }
  return binary;
}
