import { planSheet, VISIT_COLUMNS, type Printable } from './plan-sheet';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const HEAD = `<tr>${VISIT_COLUMNS.map((c) => `<th>${c}</th>`).join('')}</tr>`;

/** D5, 附件1: the visit-plan application as a printable A4 page (words from plan-sheet.ts). */
export function renderPlanPrint(p: Printable, printedAt: Date = new Date()): string {
  const sheet = planSheet(p, printedAt);
  const table = (rows: string[][]) =>
    rows.length === 0
      ? `<tr><td colspan="${VISIT_COLUMNS.length}" class="empty">${sheet.empty}</td></tr>`
      : rows.map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`).join('\n      ');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(sheet.documentTitle)}</title>
<style>
  @page { size: A4; margin: 15mm; }
  body { font-family: "Noto Serif CJK SC", "Songti SC", serif; color: #111; font-size: 11pt; }
  h1 { text-align: center; font-size: 18pt; margin: 0 0 2mm; }
  h2 { text-align: center; font-size: 13pt; font-weight: normal; margin: 0 0 6mm; }
  h3 { font-size: 12pt; margin: 5mm 0 2mm; }
  table { width: 100%; border-collapse: collapse; }
  th, td { border: 1px solid #333; padding: 1.5mm 2mm; text-align: center; }
  td.empty { color: #666; }
  .meta td { text-align: left; }
  p.text { margin: 0; line-height: 1.7; text-indent: 2em; }
  .sign { margin-top: 12mm; display: flex; justify-content: space-between; }
  .sign div { width: 45%; line-height: 2.4; }
  .stamp { display: inline-block; width: 40mm; height: 40mm; border: 1px dashed #999; text-align: center; line-height: 40mm; color: #999; }
  .note { color: #555; font-size: 9pt; margin-top: 6mm; }
  @media print { .note { display: none; } }
</style></head>
<body>
  <h1>${escape(sheet.title)}</h1>
  <h2>${escape(sheet.subtitle)}</h2>
  <table class="meta">
    ${sheet.meta.map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`).join('\n    ')}
  </table>
${sheet.tables.map((t) => `  <h3>${t.heading}</h3>
  <table>
    <thead>${HEAD}</thead>
    <tbody>
      ${table(t.rows)}
    </tbody>
  </table>`).join('\n')}
  <h3>${sheet.implementationHeading}</h3>
  ${sheet.implementation.map((s) => `<h3>${s.label}</h3><p class="text">${escape(s.text).replace(/\n/g, '<br>')}</p>`).join('\n  ')}
  <h3>${sheet.approvalsHeading}</h3>
  <p class="text">${escape(sheet.approvals)}</p>
  <div class="sign">
    <div>${sheet.signature.join('<br>')}</div>
    <div>${sheet.stamp}<br><span class="stamp">${sheet.stampBox}</span></div>
  </div>
  <p class="note">${escape(sheet.printed)}</p>
</body></html>
`;
}
