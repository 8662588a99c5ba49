import { readFileSync } from 'node:fs';
import path from 'node:path';

let cached: Record<string, string> | undefined;

/** The Chinese validation messages shared by the browser renderer and the server (forms/i18n/zh.json). */
export function zhMessages(formsDir: string): Record<string, string> {
  cached ??= JSON.parse(readFileSync(path.join(formsDir, 'i18n', 'zh.json'), 'utf8')) as Record<string, string>;
  return cached;
}
