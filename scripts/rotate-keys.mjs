// npm run keys:rotate — re-encrypts every sensitive value with the current key (see README, "Key rotation").
// Runs the compiled service code: `npm run build` first.
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const compiled = path.join(root, 'dist', 'server', 'security', 'rotate-keys-command.js');
if (!existsSync(compiled)) {
  console.error('dist/ is missing: run `npm run build` first / 缺少 dist/：请先运行 npm run build');
  process.exit(1);
}
const { runRotateKeysCommand } = await import(compiled);
try {
  process.exitCode = await runRotateKeysCommand(process.argv.slice(2));
} catch (error) {
  console.error(`key rotation failed / 密钥轮换失败: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
