import { existsSync, readFileSync } from 'node:fs';
import type PDFDocument from 'pdfkit';
import { problems } from '../http/problem';
import { pdfKit } from './document-libraries';

/** A CJK font file (and, for a .ttc collection, the face in it) to set PDFs in (`HSB_LETTER_FONT`). */
export interface CjkFont {
  path?: string;
  family?: string;
}

const CANDIDATES: Array<Required<CjkFont>> = [
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
];

function resolveFont(configured: CjkFont): Required<CjkFont> | undefined {
  if (configured.path) return existsSync(configured.path) ? { path: configured.path, family: configured.family ?? '' } : undefined;
  return CANDIDATES.find((c) => existsSync(c.path));
}

/** Raster formats a PDF carries as they are; other evidence (HEIC, WebP, video) is named, not drawn. */
export const PDF_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png']);

const fontFiles = new Map<string, Buffer>();

/** A CJK font is tens of megabytes: read once per process, not once per document. */
function fontFile(path: string): Buffer {
  let file = fontFiles.get(path);
  if (!file) {
    file = readFileSync(path);
    fontFiles.set(path, file);
  }
  return file;
}

/**
 * An A4 PDF set in a Chinese font, and the promise of its bytes once `doc.end()` is called. Without a
 * font the request is answered 503 with what to install; the HTML print views work without one.
 */
export async function cjkPdf(font: CjkFont, title: string, margin: number): Promise<{ doc: PDFKit.PDFDocument; done: Promise<Buffer> }> {
  const face = resolveFont(font);
  if (!face) {
    throw problems.unavailable(
      'PDFs need a Chinese font: install fonts-noto-cjk or set HSB_LETTER_FONT; the HTML print view works without one',
      '生成 PDF 需要中文字体：请安装 fonts-noto-cjk 或设置 HSB_LETTER_FONT；网页打印版不受影响',
    );
  }
  const PDFKitDocument: typeof PDFDocument = await pdfKit();
  const doc = new PDFKitDocument({ size: 'A4', margin, info: { Title: title } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  if (face.family) doc.font(fontFile(face.path), face.family);
  else doc.font(fontFile(face.path));
  return { doc, done };
}
