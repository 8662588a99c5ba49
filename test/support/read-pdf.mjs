// Reads a PDF the way a PDF reader does (Mozilla's pdf.js) and prints its text, page by page, as JSON.
// Run as a child process: pdf.js is an ES module, the tests are CommonJS.
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(readFileSync(process.argv[2]));
const pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n += 1) {
  const content = await (await pdf.getPage(n)).getTextContent();
  pages.push(content.items.map((item) => item.str).join(''));
}
const { info } = await pdf.getMetadata();
process.stdout.write(JSON.stringify({ title: info.Title ?? null, pages }));
