import type { Writable } from 'node:stream';
import type { Types } from 'mongoose';
import { collegeDirectory } from '../../colleges/colleges.service';
import type { CjkFont } from '../../files/cjk-pdf';
import { evidenceFileName } from '../../files/evidence-file-name';
import type { FileStore } from '../../files/file-store';
import { readStoredFiles } from '../../files/read-stored-files';
import { ApiError, problems } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { assertCan, mayReadRecord, readScope } from '../../identity/policy';
import type { CampaignRecord, CampaignsService } from '../campaigns.service';
import { renderPlanPdf } from '../plan-pdf';
import type { PlansService } from '../plans.service';
import { printReport } from '../reports/report-print';
import type { VisitReportsService } from '../reports/visit-reports.service';
import { VisitReportModel } from '../reports/visit-report.model';
import { ZipStream } from './zip-stream';

/** Reports one package carries at most (a college visits ⌈1%⌉ of its students: hundreds, not thousands). */
export const MATERIALS_REPORT_LIMIT = 3000;

/** A further document of the package, made from the records when the package is written (statistics, summary). */
export type MaterialsPart = (context: { actor: Actor; campaign: CampaignRecord; college: Types.ObjectId }) => Promise<Array<{ name: string; content: Buffer }>>;

export interface MaterialsDeps {
  campaigns: CampaignsService;
  plans: PlansService;
  reports: VisitReportsService;
  store: FileStore;
  font: CjkFont;
  parts?: MaterialsPart[];
}

/** Folder of a report's files: the school leaders' visits apart, as seed 001 §8 asks (校领导家访材料). */
const folderOf = (leaderVisit: boolean) => (leaderVisit ? '领导家访/' : '');

/**
 * D6–D10, seed 001 §8: a college's materials of a campaign as one ZIP — every submitted report as its PDF
 * (家访记录/), the photos named after the student (照片/学号-姓名-家访-1.jpg), video and audio (音视频/), the
 * school leaders' visits in 领导家访/ with the same folders, the approved plan (家访计划申报表.pdf) and the
 * further parts (statistics, summary). Checked before a byte is sent; then written entry by entry, so the
 * package is never held in memory.
 */
export async function materialsPackage(deps: MaterialsDeps, actor: Actor, campaignId: string, collegeRef: string) {
  assertCan(actor, 'visits:read');
  const campaign = await deps.campaigns.find(actor, campaignId);
  const college = (await collegeDirectory()).get(collegeRef);
  if (!['school', 'college'].includes(readScope(actor, 'visitReport'))) {
    throw problems.forbidden('The materials package holds every report of the college: only those who read all of them may download it', '材料包包含本学院全部家访报告，仅可阅读全部报告的人员可以下载');
  }
  if (!college || !campaign.colleges.some((c) => c.equals(college._id)) || !mayReadRecord(actor, 'visitReport', { college: college._id })) {
    throw problems.notFound('College of this campaign', '参与本次家访活动的学院');
  }
  const submitted = await VisitReportModel.find({ campaign: campaign._id, college: college._id, state: 'submitted' })
    .select('_id leaderVisit media studentNo studentName')
    .sort({ studentNo: 1 })
    .limit(MATERIALS_REPORT_LIMIT + 1)
    .lean();
  if (submitted.length > MATERIALS_REPORT_LIMIT) {
    throw new ApiError(413, 'TOO_MANY_REPORTS', `More than ${MATERIALS_REPORT_LIMIT} reports: download the package per folder`, `家访报告超过 ${MATERIALS_REPORT_LIMIT} 份，无法打成一个材料包`);
  }

  const write = async (out: Writable): Promise<void> => {
    const zip = await ZipStream.open(out);
    try {
      for (const report of submitted) {
        const folder = folderOf(report.leaderVisit);
        const { pdf, photos } = await printReport(deps.reports, deps.store, deps.font, actor, report._id as string);
        await zip.add(`${folder}家访记录/${report.studentNo}-${report.studentName}-家访报告.pdf`, pdf, { compress: true });
        // The photos were read for the PDF already; media and photos too large for that come from the store.
        const media = await readStoredFiles(deps.store, report.media);
        for (const [files, target] of [[photos, '照片'], [media, '音视频']] as const) {
          for (const [i, file] of files.entries()) {
            const name = evidenceFileName({ studentNo: report.studentNo, studentName: report.studentName, index: i + 1, contentType: file.contentType });
            await zip.add(`${folder}${target}/${name}`, file.bytes ?? deps.store.open(file), { compress: false });
          }
        }
      }
      const plan = await deps.plans.printable(actor, campaignId, String(college._id), 'approved').catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return undefined; // no approved plan: nothing to add
        throw error;
      });
      if (plan) await zip.add('家访计划申报表.pdf', await renderPlanPdf(plan, deps.font), { compress: true });
      for (const part of deps.parts ?? []) {
        for (const file of await part({ actor, campaign, college: college._id })) await zip.add(file.name, file.content, { compress: true });
      }
      await zip.finish();
    } catch (error) {
      zip.abort();
      throw error;
    }
  };
  return { fileName: `家访材料-${campaign.title}-${college.name}.zip`, reports: submitted.length, write };
}
