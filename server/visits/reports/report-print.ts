import { Types } from 'mongoose';
import type { CjkFont } from '../../files/cjk-pdf';
import type { FileStore } from '../../files/file-store';
import { readStoredFiles, type ReadFile } from '../../files/read-stored-files';
import type { Actor } from '../../identity/actor';
import { renderReportPdf } from './report-pdf';
import type { VisitReportsService } from './visit-reports.service';

/** Larger photos are named in the PDF, not shown: one report's PDF stays a few megabytes in memory. */
const LARGEST_SHOWN_PHOTO = 8 * 1024 * 1024;

/**
 * The report of one student visit as its PDF (附件3), for whoever may read the report: its scope, its
 * sensitive parts and their audit are the report's own (`get`). The photos are the report's evidence,
 * read from the store in the report's order; they are answered too, so that a caller writing them
 * elsewhere (the materials package) does not read them again.
 */
export async function printReport(reports: VisitReportsService, store: FileStore, font: CjkFont, actor: Actor, id: string): Promise<{ pdf: Buffer; fileName: string; photos: ReadFile[] }> {
  const report = await reports.get(actor, id);
  const photos = await readStoredFiles(store, report.photos.filter((p) => Types.ObjectId.isValid(p)), LARGEST_SHOWN_PHOTO);
  const pdf = await renderReportPdf(report, photos.map((p) => ({ contentType: p.contentType, bytes: p.bytes ?? Buffer.alloc(0) })), font);
  return { pdf, fileName: `家访工作报告-${report.student.studentNo}-${report.student.name}.pdf`, photos };
}
