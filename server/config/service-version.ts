import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The package's version, read from the nearest package.json above this file (source or compiled). */
export function serviceVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
    if (path.dirname(dir) === dir) return '0.0.0';
  }
}
