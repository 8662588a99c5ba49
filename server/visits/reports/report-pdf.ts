import { cjkPdf, PDF_IMAGE_TYPES, type CjkFont } from '../../files/cjk-pdf';
import { evidenceFileName } from '../../files/evidence-file-name';
import { REPORT_FIELD_ZH } from './report-vocabulary';
import type { VisitReportsService } from './visit-reports.service';

export type PresentedReport = Awaited<ReturnType<VisitReportsService['get']>>;

/** A photo of the report with its bytes, in the order the report lists them. */
export interface PrintedPhoto {
  contentType: string;
  bytes: Buffer;
}


const dash = (value: string | null | undefined) => (value && value.trim() ? value : '—');

/** The text sections of 附件3 in the paper order; a sensitive part left out for this reader says so. */
function sections(r: PresentedReport): Array<[string, string]> {
  const c = r.content as PresentedReport['content'] & { psychologicalState?: string; familyFinances?: string };
  const sealed = (key: 'psychologicalState' | 'familyFinances') => (r.redacted.includes(key) ? '（涉及个人敏感信息，按权限不予显示）' : dash(c[key]));
  const list: Array<[string, string]> = [
    [REPORT_FIELD_ZH.orientations!, dash(c.orientationsZh.join('、'))],
    [REPORT_FIELD_ZH.familyState!, dash(c.familyState)],
    [REPORT_FIELD_ZH.familyFinances!, sealed('familyFinances')],
    [REPORT_FIELD_ZH.psychologicalState!, sealed('psychologicalState')],
    [REPORT_FIELD_ZH.emotionalState!, dash(c.emotionalState)],
    [REPORT_FIELD_ZH.studyState!, dash(c.studyState)],
    [REPORT_FIELD_ZH.personality!, dash(c.personality)],
    [REPORT_FIELD_ZH.safetyEducation!, dash(c.safetyEducationZh.join('、'))],
    [REPORT_FIELD_ZH.aidPolicies!, dash(c.aidPoliciesZh.join('、'))],
  ];
  if (r.targetType === 'graduate') list.push([REPORT_FIELD_ZH.graduateDevelopment!, dash(c.graduateDevelopment)]);
  if (c.loan) list.push([REPORT_FIELD_ZH.loan!, `${REPORT_FIELD_ZH['loan.repaymentIntention']}：${dash(c.loan.repaymentIntentionZh)}；${c.loan.reminderGiven ? '已提醒按期还款' : '未提醒还款'}${c.loan.note ? `；${c.loan.note}` : ''}`]);
  list.push(
    [REPORT_FIELD_ZH.account!, dash(c.account)],
    [REPORT_FIELD_ZH.reflections!, dash(c.reflections)],
    [REPORT_FIELD_ZH.parentOpinion!, dash(c.parentOpinion)],
    [REPORT_FIELD_ZH.followUp!, c.followUp.needed ? dash(c.followUp.needs) : '无'],
  );
  return list;
}

/**
 * D6–D7, 附件3 家访工作报告（以学生为单位）as an A4 PDF: the facts of the visit, each part of the content
 * in the paper's order, the photos (JPEG and PNG shown, named as in the materials package) and who
 * submitted which version. What the reader may not see is left out, as in the API.
 */
export async function renderReportPdf(r: PresentedReport, photos: PrintedPhoto[], font: CjkFont, printedAt: Date = new Date()): Promise<Buffer> {
  const { doc, done } = await cjkPdf(font, `家访工作报告-${r.student.studentNo}-${r.student.name}`, 48);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  doc.fontSize(17).text('家访工作报告', { align: 'center' });
  doc.moveDown(0.2).fontSize(11).text(`${r.campaign.title}${r.version ? ` · 第 ${r.version} 版` : ' · 草稿'}`, { align: 'center' });
  doc.moveDown(0.8).fontSize(10);
  const visitors = r.visitors.map((v) => `${v.name}（${v.roleZh}）`).join('、');
  const facts: Array<[string, string, string, string]> = [
    ['学生姓名', r.student.name, '学号', r.student.studentNo],
    ['学院', dash(r.college.name), '专业', r.student.major],
    ['年级', r.student.grade, '班级', dash(r.student.className)],
    ['对象类别', r.targetTypeZh, '家访类型', `${r.kindZh}${r.leaderVisit ? '（校领导家访）' : ''}`],
    ['家访方式', r.modeZh, '家访日期', dash(r.content.visitedOn)],
    ['家访地点', dash(r.content.place), '接待家长', dash(r.content.metWith)],
  ];
  doc.table({
    columnStyles: [width * 0.16, width * 0.34, width * 0.16, width * 0.34],
    defaultStyle: { padding: 4 },
    data: [...facts, [{ text: '家访人员', colSpan: 1 }, { text: dash(visitors), colSpan: 3 }], ...(r.unplanned ? [[{ text: '计划外原因' }, { text: dash(r.reason), colSpan: 3 }]] : [])],
  });
  for (const [heading, text] of sections(r)) {
    doc.moveDown(0.6).fontSize(12).text(heading, left);
    doc.moveDown(0.2).fontSize(10).text(text, { indent: 20, lineGap: 3, width });
  }

  doc.moveDown(0.8).fontSize(12).text(`${REPORT_FIELD_ZH.photos}（${photos.length} 张）`, left);
  const box = { width: (width - 12) / 2, height: 170 };
  const nameOf = (photo: PrintedPhoto, i: number) => evidenceFileName({ studentNo: r.student.studentNo, studentName: r.student.name, index: i + 1, contentType: photo.contentType });
  for (let i = 0; i < photos.length; i += 2) {
    if (doc.y + box.height + 30 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const top = doc.y + 6;
    photos.slice(i, i + 2).forEach((photo, j) => drawPhoto(doc, photo, nameOf(photo, i + j), left + j * (box.width + 12), top, box));
    doc.x = left;
    doc.y = top + box.height + 20;
  }
  if (r.media.length) doc.moveDown(0.6).fontSize(10).text(`${REPORT_FIELD_ZH.media}：${r.media.length} 个（见材料包“音视频”文件夹）`, left);

  doc.moveDown(1).fontSize(9).fillColor('#444444');
  const versions = r.versions.map((v) => `第 ${v.version} 版 ${v.submittedBy ?? ''} ${v.submittedAt ? new Date(v.submittedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) : ''}`).join('；');
  doc.text(`报告编号 ${r.id}；${versions || '尚未提交'}；打印于 ${printedAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}`, left, undefined, { width });
  doc.end();
  return done;
}

/** One photo in its box with its file name below; a format a PDF cannot carry, or a damaged image, is named in an empty box. */
function drawPhoto(doc: PDFKit.PDFDocument, photo: PrintedPhoto, name: string, x: number, top: number, box: { width: number; height: number }): void {
  let shown = false;
  if (PDF_IMAGE_TYPES.has(photo.contentType)) {
    try {
      doc.image(photo.bytes, x, top, { fit: [box.width, box.height], align: 'center', valign: 'center' });
      shown = true;
    } catch {
      shown = false;
    }
  }
  if (!shown) doc.save().rect(x, top, box.width, box.height).strokeColor('#999999').stroke().restore();
  doc.fontSize(8).fillColor(shown ? '#000000' : '#666666').text(shown ? name : `${name}（无法在 PDF 中显示）`, x, top + box.height + 4, { width: box.width, align: 'center' });
  doc.fillColor('#000000');
}
