import { cjkPdf, type CjkFont } from '../files/cjk-pdf';
import { planSheet, VISIT_COLUMNS, type Printable } from './plan-sheet';

/** Relative widths of the visit columns: the visitors need the most room, the row number the least. */
const COLUMN_WIDTHS = [22, 62, 44, 34, 60, 52, 46, 40, 0];

/** D5, 附件1: the visit-plan application as an A4 PDF, the same words as the print view. */
export async function renderPlanPdf(p: Printable, font: CjkFont, printedAt: Date = new Date()): Promise<Buffer> {
  const sheet = planSheet(p, printedAt);
  const { doc, done } = await cjkPdf(font, sheet.documentTitle, 42);
  const width = doc.page.width - 84;
  const fixed = COLUMN_WIDTHS.reduce((a, b) => a + b, 0);
  const columnStyles = COLUMN_WIDTHS.map((w) => ({ width: w || width - fixed }));

  doc.fontSize(17).text(sheet.title, { align: 'center' });
  doc.moveDown(0.3).fontSize(12).text(sheet.subtitle, { align: 'center' });
  doc.moveDown(0.8).fontSize(10);
  doc.table({ columnStyles: [width / 2, width / 2], defaultStyle: { padding: 4 }, data: sheet.meta });
  for (const table of sheet.tables) {
    doc.moveDown(0.8).fontSize(12).text(table.heading, doc.page.margins.left);
    doc.moveDown(0.3).fontSize(9);
    const head = VISIT_COLUMNS.map((text) => ({ text, type: 'TH' as const, align: 'center' as const }));
    const body = table.rows.length ? table.rows : [[{ text: sheet.empty, colSpan: VISIT_COLUMNS.length, align: 'center' as const }]];
    doc.table({ columnStyles, defaultStyle: { padding: 3 }, data: [head, ...body] });
  }
  doc.moveDown(0.8).fontSize(12).text(sheet.implementationHeading, doc.page.margins.left);
  for (const section of sheet.implementation) {
    doc.moveDown(0.3).fontSize(11).text(section.label);
    doc.fontSize(10).text(section.text, { indent: 20, lineGap: 3 });
  }
  doc.moveDown(0.8).fontSize(12).text(sheet.approvalsHeading);
  doc.fontSize(10).text(sheet.approvals, { indent: 20 });
  if (doc.y > doc.page.height - 200) doc.addPage();
  doc.moveDown(2).fontSize(11);
  const top = doc.y;
  doc.text(sheet.signature.join('\n\n'), doc.page.margins.left, top, { width: width / 2 });
  doc.text(sheet.stamp, doc.page.margins.left + width / 2 + 20, top);
  doc.save().dash(3, { space: 3 }).strokeColor('#999999').rect(doc.page.margins.left + width / 2 + 20, top + 20, 110, 110).stroke().restore();
  doc.fillColor('#999999').text(sheet.stampBox, doc.page.margins.left + width / 2 + 20, top + 68, { width: 110, align: 'center' });
  doc.end();
  return done;
}
