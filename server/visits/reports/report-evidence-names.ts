import { registerDownloadNamer, type DownloadNamer } from '../../files/download-names';
import { evidenceFileName } from '../../files/evidence-file-name';
import { VisitReportModel } from './visit-report.model';

/**
 * D7: a report's photos and media download named after its student and their place in the report
 * (`学号-姓名-家访-2.jpg`), computed at download time. Its uploads are linked under the report's `fileKey`.
 */
export const reportEvidenceDownloadName: DownloadNamer = async (file) => {
  const report = await VisitReportModel.findOne({ fileKey: file.submission }).select('studentNo studentName photos media').lean();
  if (!report) return undefined;
  const id = String(file._id);
  for (const list of [report.photos, report.media]) {
    const index = list.indexOf(id);
    if (index >= 0) return evidenceFileName({ studentNo: report.studentNo, studentName: report.studentName, index: index + 1, contentType: file.contentType });
  }
  return undefined;
};

export function registerReportEvidenceNames(): void {
  registerDownloadNamer(reportEvidenceDownloadName);
}
