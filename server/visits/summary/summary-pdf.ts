import { cjkPdf, type CjkFont } from '../../files/cjk-pdf';
import { VISIT_MODES, VISIT_MODE_ZH } from '../visit-vocabulary';
import { SUMMARY_SECTIONS } from './college-summary.model';
import type { CollegeSummaryService } from './college-summary.service';

type PresentedSummary = Awaited<ReturnType<CollegeSummaryService['get']>>;

/** 学院总结 as an A4 PDF: the figures from the records, then each section as the college wrote it. */
export async function renderSummaryPdf(s: PresentedSummary, font: CjkFont, printedAt: Date = new Date()): Promise<Buffer> {
  const { doc, done } = await cjkPdf(font, `学院总结-${s.college.name}`, 56);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const f = s.figures;
  doc.fontSize(18).text(`${s.college.name}家访工作总结`, { align: 'center' });
  doc.moveDown(0.2).fontSize(11).text(`${s.campaign.title} · ${s.stateZh}`, { align: 'center' });
  doc.moveDown(0.8).fontSize(10);
  doc.table({
    columnStyles: [width * 0.3, width * 0.2, width * 0.3, width * 0.2],
    defaultStyle: { padding: 4 },
    data: [
      ['提交家访报告', `${f.reports} 份`, '走访学生', `${f.studentsVisited} 人`],
      ...pairsOfTwo(VISIT_MODES.map((m) => [VISIT_MODE_ZH[m], `${f.byMode[m]} 份`])),
      ['覆盖目标', `${f.coverage.required} 人（${f.coverage.percent}）`, '计入覆盖', `${f.coverage.counted} 人`],
      ['校领导家访', `${f.leaderVisits} 次`, '计划外家访', `${f.unplanned} 次`],
      ['需后续跟进', `${f.followUps} 人`, '在校生', `${f.coverage.enrolled} 人`],
    ],
  });
  for (const section of SUMMARY_SECTIONS) {
    doc.moveDown(0.8).fontSize(13).text(s.sectionTitles[section], left);
    doc.moveDown(0.2).fontSize(11).text(s.sections[section].trim() || '—', { lineGap: 4, width });
  }
  doc.moveDown(1).fontSize(9).fillColor('#444444');
  const by = s.submittedBy ? `提交人 ${s.submittedBy}，提交于 ${new Date(s.submittedAt!).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}；` : '';
  doc.text(`${by}打印于 ${printedAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}`, left, undefined, { width });
  doc.end();
  return done;
}

/** Label–value pairs laid out two to a row of four cells. */
function pairsOfTwo(pairs: string[][]): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < pairs.length; i += 2) rows.push([...pairs[i]!, ...(pairs[i + 1] ?? ['', ''])]);
  return rows;
}
