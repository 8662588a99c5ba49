import type { Readable } from 'node:stream';
import { Types } from 'mongoose';
import type { CjkFont } from '../../files/cjk-pdf';
import type { FileStore } from '../../files/file-store';
import { StoredFileModel } from '../../files/stored-file.model';
import type { Actor } from '../../identity/actor';
import { renderReportPdf, type PrintedPhoto } from './report-pdf';
import type { VisitReportsService } from './visit-reports.service';

/** Larger photos are named in the PDF, not shown: one report's PDF stays a few megabytes in memory. */
const LARGEST_SHOWN_PHOTO = 8 * 1024 * 1024;

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The report of one student visit as its PDF (附件3), for whoever may read the report: its scope, its
 * sensitive parts and their audit are the report's own (`get`). The photos are the report's evidence,
 * read from the store in the report's order.
 */
export async function printReport(reports: VisitReportsService, store: FileStore, font: CjkFont, actor: Actor, id: string): Promise<{ pdf: Buffer; fileName: string }> {
  const report = await reports.get(actor, id);
  const ids = report.photos.filter((p) => Types.ObjectId.isValid(p));
  const files = ids.length ? await StoredFileModel.find({ _id: { $in: ids } }).select('contentType size location').lean() : [];
  const byId = new Map(files.map((f) => [String(f._id), f]));
  const photos: PrintedPhoto[] = [];
  for (const photoId of ids) {
    const file = byId.get(photoId);
    if (!file) continue;
    const bytes = file.size <= LARGEST_SHOWN_PHOTO ? await bytesOf(store.open(file.location)) : Buffer.alloc(0);
    photos.push({ contentType: file.contentType, bytes });
  }
  const pdf = await renderReportPdf(report, photos, font);
  return { pdf, fileName: `家访工作报告-${report.student.studentNo}-${report.student.name}.pdf` };
}
