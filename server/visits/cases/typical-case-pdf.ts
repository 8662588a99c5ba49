import { cjkPdf, PDF_IMAGE_TYPES, type CjkFont } from '../../files/cjk-pdf';
import type { FileStore } from '../../files/file-store';
import { readStoredFiles } from '../../files/read-stored-files';
import type { Actor } from '../../identity/actor';
import { CHANNEL_ZH, type PublicityChannel } from './typical-case-vocabulary';
import type { TypicalCasesService } from './typical-cases.service';

type PresentedCase = Awaited<ReturnType<TypicalCasesService['get']>>;

/** Larger pictures are left out of the PDF: a publicity PDF stays a few megabytes in memory. */
const LARGEST_SHOWN_PICTURE = 8 * 1024 * 1024;

const dash = (value: string) => (value.trim() ? value : '（待补充）');

/** The case's pictures a PDF can carry, in the case's order. */
async function pictureBytes(store: FileStore, ids: string[]): Promise<Buffer[]> {
  const files = await readStoredFiles(store, ids, LARGEST_SHOWN_PICTURE);
  return files.filter((f) => f.bytes && PDF_IMAGE_TYPES.has(f.contentType)).map((f) => f.bytes!);
}

/**
 * D9, seed 001 §7(五): a typical case as publicity material (宣传稿) for one channel — the title, the
 * student's development before the visit, after it and after graduation, the pictures, and the consent
 * it is published under. Call only with a case whose consent covers the channel (`forPublicity`).
 */
export async function renderPublicityPdf(c: PresentedCase, channel: PublicityChannel, store: FileStore, font: CjkFont, printedAt: Date = new Date()): Promise<Buffer> {
  const pictures = await pictureBytes(store, c.pictures.map((p) => p.id));
  const { doc, done } = await cjkPdf(font, `典型案例-${c.title}`, 56);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  doc.fontSize(18).text(c.title, { align: 'center' });
  doc.moveDown(0.3).fontSize(10).fillColor('#555555').text(`${c.college.name ?? ''} · 成长成才典型案例 · ${CHANNEL_ZH[channel]}宣传稿`, { align: 'center' }).fillColor('#000000');
  for (const [heading, text] of [['走访前', c.before], ['走访后', c.after], ['毕业后', c.afterGraduation]] as const) {
    doc.moveDown(0.8).fontSize(13).text(heading, left);
    doc.moveDown(0.2).fontSize(11).text(dash(text), { indent: 22, lineGap: 4, width });
  }
  const box = { width: (width - 12) / 2, height: 180 };
  for (let i = 0; i < pictures.length; i += 2) {
    if (doc.y + box.height + 24 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const top = doc.y + 10;
    pictures.slice(i, i + 2).forEach((bytes, j) => {
      try {
        doc.image(bytes, left + j * (box.width + 12), top, { fit: [box.width, box.height], align: 'center', valign: 'center' });
      } catch {
        // A damaged image is left out rather than failing the whole publicity PDF.
      }
    });
    doc.x = left;
    doc.y = top + box.height + 6;
  }
  const consent = c.consent.history.filter((k) => !k.withdrawn && k.channels.includes(channel));
  const who = consent.some((k) => k.guardian) ? '学生本人及监护人' : '学生本人';
  doc.moveDown(1).fontSize(9).fillColor('#444444');
  doc.text(`经${who}同意发布（授权范围：${[...new Set(consent.flatMap((k) => k.channelsZh))].join('、')}；记录人 ${consent.map((k) => k.recordedBy).join('、')}）。生成于 ${printedAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}`, left, undefined, { width });
  doc.end();
  return done;
}

/** The publicity PDF of a case for a channel, for whoever reads it — refused (409) without a consent in force for the channel. */
export async function publicityPdf(cases: TypicalCasesService, store: FileStore, font: CjkFont, actor: Actor, id: string, channel: PublicityChannel) {
  const c = await cases.forPublicity(actor, id, channel);
  return { pdf: await renderPublicityPdf(c, channel, store, font), fileName: `典型案例-${c.title}-${CHANNEL_ZH[channel]}.pdf`, title: c.title };
}
