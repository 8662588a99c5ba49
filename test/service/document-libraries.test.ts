import { execFileSync } from 'node:child_process';
import { ROOT } from '../support/test-service';

const HEAVY = ['exceljs', 'pdfkit', 'archiver', 'mongodb-memory-server-core'];

/** Which of the heavy libraries a fresh process holds after loading the compiled service (and then `then`). */
function loadedAfter(then: string): { atStart: string[]; afterwards: string[] } {
  const script = `
    const heavy = ${JSON.stringify(HEAVY)};
    const loaded = () => heavy.filter((name) => Object.keys(require.cache).some((file) => file.includes('/node_modules/' + name + '/')));
    require('./dist/server/service.js');
    const atStart = loaded();
    Promise.resolve(${then}).then(() => console.log(JSON.stringify({ atStart, afterwards: loaded() })));
  `;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }).trim()) as { atStart: string[]; afterwards: string[] };
}

describe('an idle service does not carry the document libraries', () => {
  it('loads none of them with the service, and a spreadsheet library on the first spreadsheet', () => {
    const { atStart, afterwards } = loadedAfter(`require('./dist/server/http/xlsx-download.js').workbookOf([{ name: 'S', columns: [{ header: 'A', value: () => 1 }], rows: [{}] }])`);
    expect(atStart).toEqual([]);
    // exceljs writes the ZIP container with archiver itself; the PDF library stays out.
    expect(afterwards).toEqual(expect.arrayContaining(['exceljs']));
    expect(afterwards).not.toContain('pdfkit');
    expect(afterwards).not.toContain('mongodb-memory-server-core');
  });

  it('loads the PDF and ZIP libraries when first asked for, once', () => {
    const { atStart, afterwards } = loadedAfter(`(async () => {
      const libraries = require('./dist/server/files/document-libraries.js');
      const [first, second] = await Promise.all([libraries.pdfKit(), libraries.pdfKit()]);
      if (first !== second) throw new Error('loaded twice');
      await libraries.zipArchiver();
    })()`);
    expect(atStart).toEqual([]);
    expect(afterwards).toEqual(['pdfkit', 'archiver']);
  });
});
