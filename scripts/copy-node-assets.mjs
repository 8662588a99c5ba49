// Copies what tsc does not emit (icons, codex files, translations) next to the compiled nodes and credentials.
import { cpSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ASSET = /\.(svg|png|json)$/;
function copyAssets(from, to) {
  for (const entry of readdirSync(from)) {
    const source = path.join(from, entry);
    if (statSync(source).isDirectory()) copyAssets(source, path.join(to, entry));
    else if (ASSET.test(entry)) cpSync(source, path.join(to, entry));
  }
}
for (const folder of ['nodes', 'credentials']) copyAssets(folder, path.join('dist', folder));
