import type { Types } from 'mongoose';
import type { FieldProblem } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { mayReadRecord } from '../../identity/policy';
import { field } from '../campaign-errors';
import { VisitReportModel, VisitReportVersionModel, reportVersionId } from '../reports/visit-report.model';

export interface CaseSources {
  reports: string[];
  campaigns: Types.ObjectId[];
  problems: FieldProblem[];
}

/**
 * D9: what a case may draw on — submitted visit reports of this one student that the actor may read, and
 * among their submitted photos only. The photos are those of each report's last submitted version (a
 * report being amended has a draft's photos that nobody has submitted). Nothing of the reports' content
 * is taken: the case's text is written for the case.
 */
export async function checkCaseSources(actor: Actor, student: Types.ObjectId, reportIds: readonly string[], pictures: readonly string[]): Promise<CaseSources> {
  const found: FieldProblem[] = [];
  const reports = reportIds.length ? await VisitReportModel.find({ _id: { $in: [...reportIds] } }).select('student college campaign version visitors createdBy').lean() : [];
  const byId = new Map(reports.map((r) => [r._id as string, r]));
  const usable: typeof reports = [];
  reportIds.forEach((id, i) => {
    const report = byId.get(id);
    if (!report || !mayReadRecord(actor, 'visitReport', report)) found.push(field(`reports[${i}]`, '家访报告不存在', 'no such visit report', 'exists'));
    else if (!report.student.equals(student)) found.push(field(`reports[${i}]`, '典型案例只能引用同一名学生的家访报告', 'a case draws on the reports of its one student only', 'sameStudent'));
    else if (report.version < 1) found.push(field(`reports[${i}]`, '只能引用已提交的家访报告', 'only submitted reports can be drawn on', 'submitted'));
    else usable.push(report);
  });
  const versions = usable.length ? await VisitReportVersionModel.find({ _id: { $in: usable.map((r) => reportVersionId(r._id as string, r.version)) } }).select('photos').lean() : [];
  const photos = new Set(versions.flatMap((v) => v.photos));
  pictures.forEach((picture, i) => {
    if (!photos.has(picture)) found.push(field(`pictures[${i}]`, '图片只能从该生所引用家访报告的照片中选择', 'a picture must be a photo of the case’s reports', 'reportPhoto'));
  });
  const campaigns = [...new Map(usable.map((r) => [String(r.campaign), r.campaign])).values()];
  return { reports: usable.map((r) => r._id as string), campaigns, problems: found };
}
