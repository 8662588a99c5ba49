// Lays out the installable n8n community package in dist/n8n-package — a manifest with no runtime
// dependencies (n8n's rule) plus the compiled nodes and credentials — and packs it with `npm pack` into
// dist/n8n-nodes-home-school-bridge-<version>.tgz, whose path it prints. The service's own dependencies
// stay in the repository's package.json and never reach an n8n instance.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const source = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, 'dist', 'n8n-package');
rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'dist'), { recursive: true });
for (const folder of ['nodes', 'credentials']) cpSync(path.join(root, 'dist', folder), path.join(out, 'dist', folder), { recursive: true });
const manifest = {
  name: source.name,
  version: source.version,
  description: source.description,
  license: source.license,
  keywords: source.keywords,
  homepage: source.homepage,
  author: source.author,
  repository: source.repository,
  files: ['dist'],
  n8n: source.n8n,
  peerDependencies: source.peerDependencies,
};
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
writeFileSync(path.join(out, 'README.md'), 'Home–School Bridge (家校心桥) nodes for n8n. See the project README for setup.\n');
// --ignore-scripts: the manifest has none, and the clone's .npmrc must not matter here.
const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', path.join(root, 'dist')], { cwd: out, encoding: 'utf8' }));
console.log(path.join(root, 'dist', packed[0].filename));
