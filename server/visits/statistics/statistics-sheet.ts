import type { Alignment, Borders, Font, Workbook, Worksheet } from 'exceljs';
import { excel } from '../../files/document-libraries';
import { DateTime } from 'luxon';
import { ZONE } from '../../calendar/academic-calendar';
import { TARGET_TYPES, TARGET_TYPE_ZH, VISIT_KINDS, VISIT_KIND_ZH, VISIT_MODES, VISITOR_ROLES, VISITOR_ROLE_ZH } from '../visit-vocabulary';
import type { CollegeVisitStatistics, SchoolVisitStatistics } from './visit-statistics';
import type { VisitCounts } from './visit-tally';

/** One column of a 附件2-style table: under a group heading (家访方式 …) or standing alone over both header rows. */
interface Column<Row> {
  group?: string;
  header: string;
  width?: number;
  value: (row: Row) => string | number | null;
}

const MODE_SHORT: Record<(typeof VISIT_MODES)[number], string> = { onsite: '实地', video: '网络视频', phone: '电话' };

/** The column groups of the paper table, for any row that carries the counts. */
function countColumns<Row>(counts: (row: Row) => VisitCounts): Column<Row>[] {
  return [
    { header: '家访学生数', value: (r) => counts(r).students },
    { header: '家访人次', value: (r) => counts(r).visits },
    ...VISIT_MODES.map((m) => ({ group: '家访方式（人次）', header: MODE_SHORT[m], width: 9, value: (r: Row) => counts(r).byMode[m] })),
    ...VISIT_KINDS.map((k) => ({ group: '家访类型（人次）', header: VISIT_KIND_ZH[k], width: 8, value: (r: Row) => counts(r).byKind[k] })),
    ...TARGET_TYPES.map((t) => ({ group: '家访对象（人次）', header: TARGET_TYPE_ZH[t], width: 12, value: (r: Row) => counts(r).byTarget[t] })),
    ...VISITOR_ROLES.map((role) => ({ group: '家访人员（人次）', header: VISITOR_ROLE_ZH[role], width: 10, value: (r: Row) => counts(r).visitorsByRole[role] })),
    { header: '校领导家访（人次）', width: 11, value: (r) => counts(r).leaderVisits },
    { header: '计划外家访（人次）', width: 11, value: (r) => counts(r).unplanned },
  ];
}

const thin: Partial<Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
const centered: Partial<Alignment> = { horizontal: 'center', vertical: 'middle', wrapText: true };

/** A line across the whole table (title, college, summary), merged over every column. */
function banner(sheet: Worksheet, row: number, width: number, text: string, font: Partial<Font> = {}, height?: number): void {
  sheet.mergeCells(row, 1, row, width);
  const cell = sheet.getCell(row, 1);
  cell.value = text;
  cell.font = font;
  cell.alignment = { vertical: 'middle', wrapText: true, horizontal: font.bold ? 'center' : 'left' };
  if (height) sheet.getRow(row).height = height;
}

/**
 * Two header rows from `top` (a group heading merged over its columns, a lone heading merged down both
 * rows), the rows, and the 合计 row; every cell bordered as on the paper form. Answers the next free row.
 */
function table<Row>(sheet: Worksheet, top: number, columns: Column<Row>[], rows: Row[], total?: { label: string; labelSpan: number; row: Row }): number {
  columns.forEach((column, i) => {
    const at = i + 1;
    sheet.getColumn(at).width = column.width ?? 12;
    if (!column.group) {
      sheet.mergeCells(top, at, top + 1, at);
      sheet.getCell(top, at).value = column.header;
    } else {
      sheet.getCell(top + 1, at).value = column.header;
      if (columns[i - 1]?.group !== column.group) {
        let last = i;
        while (columns[last + 1]?.group === column.group) last += 1;
        sheet.mergeCells(top, at, top, last + 1);
        sheet.getCell(top, at).value = column.group;
      }
    }
  });
  for (const r of [top, top + 1]) {
    sheet.getRow(r).height = 30;
    for (let c = 1; c <= columns.length; c += 1) Object.assign(sheet.getCell(r, c), { font: { bold: true }, alignment: centered, border: thin });
  }
  let at = top + 2;
  for (const row of rows) {
    columns.forEach((column, i) => Object.assign(sheet.getCell(at, i + 1), { value: column.value(row), border: thin, alignment: { vertical: 'middle', wrapText: true } }));
    at += 1;
  }
  if (total) {
    columns.forEach((column, i) => Object.assign(sheet.getCell(at, i + 1), { value: i < total.labelSpan ? null : column.value(total.row), border: thin, font: { bold: true } }));
    if (total.labelSpan > 1) sheet.mergeCells(at, 1, at, total.labelSpan);
    Object.assign(sheet.getCell(at, 1), { value: total.label, alignment: centered });
    at += 1;
  }
  return at;
}

const stamp = (at: Date) => DateTime.fromJSDate(at).setZone(ZONE).toFormat('yyyy年M月d日 HH:mm');

type CollegeRow = CollegeVisitStatistics['rows'][number];

/**
 * D10, 附件2 学院走访统计表: the college's table laid out like the paper one — title, college, the coverage
 * line, one row per grade and major under the form's column groups, the 合计 row, and the lines the
 * college leader signs and stamps — and a second sheet naming the planned visits without a report. A pure
 * function of the computed statistics (the materials package writes the same workbook).
 */
export async function statisticsWorkbook(s: CollegeVisitStatistics): Promise<Workbook> {
  const ExcelJS = await excel();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '家校心桥 Home–School Bridge';
  workbook.created = s.computedAt;
  const sheet = workbook.addWorksheet('走访统计表', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const columns: Column<CollegeRow>[] = [
    { header: '年级', width: 8, value: (r) => r.grade },
    { header: '专业', width: 16, value: (r) => r.major },
    { header: '在校学生数', width: 10, value: (r) => r.enrolled },
    ...countColumns<CollegeRow>((r) => r),
  ];
  const width = columns.length;
  const c = s.coverage;
  banner(sheet, 1, width, `${s.campaign.title} 学院走访统计表`, { bold: true, size: 16 }, 30);
  banner(sheet, 2, width, `学院：${s.college.name}（${s.college.code}）　　统计时间：${stamp(s.computedAt)}　　报送截止：${s.campaign.statisticsDueText}`);
  banner(sheet, 3, width, [
    `学院学生总数 ${c.enrolled} 人，家访比例 ${c.percent}，需至少家访 ${c.required} 人；已家访学生 ${c.visited} 人（计入比例 ${c.counted} 人，${c.met ? '已达到' : '尚未达到'}）。`,
    `批准计划家访 ${s.planned.entries} 人，已访 ${s.planned.visited} 人，计划未访 ${s.planned.notVisited} 人；计划外家访 ${s.totals.unplanned} 人次；校领导家访 ${s.totals.leaderVisits} 人次${c.leaderVisitsCount ? '' : '（不计入学院家访比例）'}。`,
  ].join(''), {}, 36);
  const totalRow = { grade: '', major: '', ...s.totals, enrolled: c.enrolled };
  const next = table(sheet, 5, columns, s.rows, { label: '合计', labelSpan: 2, row: totalRow });
  banner(sheet, next + 1, width, '学院领导（签字）：________________　　　　学院（盖章）：　　　　　　　　日期：______年____月____日');
  banner(sheet, next + 2, width, '说明：由家访报告自动生成。家访人次为已提交的家访报告数；家访学生数为不重复学生数；集体家访的每位家访人员各计一人次；草稿不计入。', { size: 9, italic: true });
  sheet.views = [{ state: 'frozen', ySplit: 6 }];

  const missing = workbook.addWorksheet('计划未访');
  const rows = s.plannedNotVisited.map((e, i) => ({ ...e, index: i + 1 }));
  const missingColumns: Column<(typeof rows)[number]>[] = [
    { header: '序号', width: 6, value: (r) => r.index },
    { header: '学号', width: 14, value: (r) => r.studentNo },
    { header: '姓名', width: 10, value: (r) => r.studentName },
    { header: '年级', width: 8, value: (r) => r.grade },
    { header: '专业', width: 16, value: (r) => r.major },
    { header: '家访方式', width: 12, value: (r) => r.modeZh },
    { header: '计划日期', width: 12, value: (r) => r.plannedOn },
    { header: '家访人员', width: 30, value: (r) => r.visitors.map((v) => `${v.name}（${v.roleZh}）`).join('、') },
    { header: '报告', width: 16, value: (r) => r.reportZh },
  ];
  banner(missing, 1, missingColumns.length, `${s.college.name} · 批准计划中尚无已提交报告的家访（${rows.length} 人）`, { bold: true, size: 13 }, 24);
  table(missing, 2, missingColumns, rows);
  return workbook;
}

/** A line of the roll-up: a college, or the 合计. */
interface RollupLine {
  name: string;
  enrolled: number;
  required: number;
  counted: number;
  met: string;
  counts: VisitCounts;
  planned: number;
  notVisited: number;
  state: string;
}

/** D10: the school roll-up for student affairs — one row per college and the 合计 row, the same column groups. */
export async function schoolStatisticsWorkbook(s: SchoolVisitStatistics): Promise<Workbook> {
  const ExcelJS = await excel();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '家校心桥 Home–School Bridge';
  workbook.created = s.computedAt;
  const sheet = workbook.addWorksheet('全校汇总', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const columns: Column<RollupLine>[] = [
    { header: '学院', width: 18, value: (r) => r.name },
    { header: '在校学生数', width: 10, value: (r) => r.enrolled },
    { header: '应家访人数', width: 10, value: (r) => r.required },
    { header: '计入比例人数', width: 10, value: (r) => r.counted },
    { header: '达到比例', width: 8, value: (r) => r.met },
    ...countColumns<RollupLine>((r) => r.counts),
    { group: '批准计划', header: '计划人数', width: 9, value: (r) => r.planned },
    { group: '批准计划', header: '计划未访', width: 9, value: (r) => r.notVisited },
    { header: '计划状态', width: 10, value: (r) => r.state },
  ];
  const width = columns.length;
  const t = s.total;
  banner(sheet, 1, width, `${s.campaign.title} 全校家访统计汇总表`, { bold: true, size: 16 }, 30);
  banner(sheet, 2, width, `统计时间：${stamp(s.computedAt)}　　参与学院 ${t.coverage.colleges} 个，达到家访比例 ${t.coverage.collegesMet} 个；全校家访学生 ${t.totals.students} 人，家访 ${t.totals.visits} 人次。`);
  const lines: RollupLine[] = s.colleges.map((c) => ({
    name: c.college.name ?? c.college.code ?? c.college.id,
    enrolled: c.coverage.enrolled,
    required: c.coverage.required,
    counted: c.coverage.counted,
    met: c.coverage.met ? '是' : '否',
    counts: c.totals,
    planned: c.planned.entries,
    notVisited: c.planned.notVisited,
    state: c.plan.stateZh,
  }));
  const total: RollupLine = {
    name: '合计', enrolled: t.coverage.enrolled, required: t.coverage.required, counted: t.coverage.counted, met: `${t.coverage.collegesMet} / ${t.coverage.colleges}`,
    counts: t.totals, planned: t.planned.entries, notVisited: t.planned.notVisited, state: '',
  };
  const next = table(sheet, 4, columns, lines, { label: '合计', labelSpan: 1, row: total });
  banner(sheet, next + 1, width, '说明：由各学院家访报告自动生成。合计行的家访学生数为全校不重复学生数；家访人次为已提交的家访报告数；草稿不计入。', { size: 9, italic: true });
  sheet.views = [{ state: 'frozen', ySplit: 5 }];
  return workbook;
}

export async function workbookBuffer(workbook: Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
