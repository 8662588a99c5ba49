import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** The title and the text of each page of a PDF, as a PDF reader (pdf.js) extracts them. */
export async function pdfText(bytes: Buffer): Promise<{ title: string | null; pages: string[] }> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hsb-pdf-')), 'document.pdf');
  writeFileSync(file, bytes);
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'read-pdf.mjs'), file], { maxBuffer: 20 * 1024 * 1024 });
  return JSON.parse(stdout) as { title: string | null; pages: string[] };
}
