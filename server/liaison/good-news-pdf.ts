import { cjkPdf, type CjkFont } from '../files/cjk-pdf';
import { letterText, type LetterData } from './good-news-letter';

export type LetterFont = CjkFont;

/** B5: the 喜报 as an A4 PDF (same words as the print view). */
export async function renderGoodNewsPdf(data: LetterData, font: LetterFont): Promise<Buffer> {
  const letter = letterText(data);
  const { doc, done } = await cjkPdf(font, `喜报 · ${data.studentName}`, 56);
  const { width, height } = doc.page;
  doc.lineWidth(3).strokeColor('#cc0000').rect(36, 36, width - 72, height - 72).stroke();
  doc.lineWidth(1).rect(42, 42, width - 84, height - 84).stroke();
  doc.moveDown(2).fillColor('#8b0000').fontSize(44).text(letter.heading, { align: 'center', characterSpacing: 20 });
  doc.moveDown(1).fillColor('#222222').fontSize(16).text(letter.greeting);
  for (const runs of letter.paragraphs) {
    doc.moveDown(0.6).text('　　', { continued: true, lineGap: 8 });
    runs.forEach((run, i) => doc.text(run.text, { continued: i < runs.length - 1, lineGap: 8, underline: !!run.strong }));
  }
  doc.moveDown(3);
  for (const line of letter.signature) doc.text(line, { align: 'right' });
  doc.end();
  return done;
}
