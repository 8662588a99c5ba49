import { existsSync, readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { problems } from '../http/problem';
import { letterText, type LetterData } from './good-news-letter';

/** A CJK font file (and, for a .ttc collection, the face in it) to set the PDF in. */
export interface LetterFont {
  path?: string;
  family?: string;
}

const CANDIDATES: Array<Required<LetterFont>> = [
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
];

function resolveFont(configured: LetterFont): Required<LetterFont> | undefined {
  if (configured.path) return existsSync(configured.path) ? { path: configured.path, family: configured.family ?? '' } : undefined;
  return CANDIDATES.find((c) => existsSync(c.path));
}

const fontFiles = new Map<string, Buffer>();

/** A CJK font is tens of megabytes: read once per process, not once per letter. */
function fontFile(path: string): Buffer {
  let file = fontFiles.get(path);
  if (!file) {
    file = readFileSync(path);
    fontFiles.set(path, file);
  }
  return file;
}

/** B5: the 喜报 as an A4 PDF (same words as the print view). */
export function renderGoodNewsPdf(data: LetterData, font: LetterFont): Promise<Buffer> {
  const face = resolveFont(font);
  if (!face) {
    throw problems.unavailable(
      'PDF letters need a Chinese font: install fonts-noto-cjk or set HSB_LETTER_FONT; the HTML print view works without one',
      '生成 PDF 喜报需要中文字体：请安装 fonts-noto-cjk 或设置 HSB_LETTER_FONT；网页打印版不受影响',
    );
  }
  const letter = letterText(data);
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `喜报 · ${data.studentName}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  if (face.family) doc.font(fontFile(face.path), face.family);
  else doc.font(fontFile(face.path));
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
