import type { Sheet, SheetColumn } from '../../http/xlsx-download';
import type { LetterReport, ReportFigures } from './letter-report';

/** The figure columns shared by the college and counselor sheets, with their Chinese headings. */
function figureColumns<Row extends ReportFigures>(): SheetColumn<Row>[] {
  return [
    { header: '信件数', width: 10, value: (r) => r.letters },
    { header: '已发送', width: 10, value: (r) => r.sent },
    { header: '已送达', width: 10, value: (r) => r.delivered },
    { header: '发送失败', width: 10, value: (r) => r.failed },
    { header: '纸质信', width: 10, value: (r) => r.printed },
    { header: '已读', width: 10, value: (r) => r.opened },
    { header: '已反馈', width: 10, value: (r) => r.answered },
    { header: '反馈条数', width: 10, value: (r) => r.tickets },
    { header: '有落实已办结', width: 12, value: (r) => r.closedWithFollowThrough },
    { header: '办结率（%）', width: 11, value: (r) => r.closedShare },
    { header: '未办结', width: 10, value: (r) => r.unfinished },
    { header: '首次回应中位数（小时）', width: 14, value: (r) => r.responseHoursP50 },
    { header: '首次回应P90（小时）', width: 14, value: (r) => r.responseHoursP90 },
  ];
}

/** B6 §6 as a workbook: 汇总, 学院, 辅导员, 反馈主题, 未办结 — the same figures as the JSON report. */
export function letterReportSheets(r: LetterReport): Sheet<any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const t = r.totals;
  const summary: Array<{ label: string; value: string | number | null }> = [
    { label: '信件', value: r.campaign.title },
    { label: '学期', value: `${r.campaign.academicYear} ${r.campaign.termZh}` },
    { label: '范围', value: r.college ? (r.college.name ?? r.college.code) : '全校' },
    { label: '状态', value: r.campaign.stateZh },
    { label: '统计时间', value: r.computedAt.toISOString() },
    { label: '信件数', value: t.letters },
    { label: '已发送', value: t.sent },
    { label: '已送达', value: t.delivered },
    { label: '发送失败', value: t.failed },
    { label: '纸质信', value: t.printed },
    { label: '已读', value: t.opened },
    { label: '已反馈', value: t.answered },
    { label: '反馈条数', value: t.tickets },
    { label: '有落实已办结', value: t.closedWithFollowThrough },
    { label: '办结率（%）', value: t.closedShare },
    { label: '未办结', value: t.unfinished },
    { label: '已回应条数', value: t.responded },
    { label: '首次回应中位数（小时）', value: t.responseHoursP50 },
    { label: '首次回应P90（小时）', value: t.responseHoursP90 },
  ];
  type CollegeLine = LetterReport['colleges'][number];
  type CounselorLine = LetterReport['counselors'][number];
  type TopicLine = LetterReport['topics'][number];
  type OwnerLine = LetterReport['owners'][number];
  return [
    { name: '汇总', columns: [{ header: '指标', width: 24, value: (x: (typeof summary)[number]) => x.label }, { header: '数值', width: 40, value: (x: (typeof summary)[number]) => x.value }], rows: summary },
    { name: '学院', columns: [{ header: '学院', width: 20, value: (x: CollegeLine) => x.college.name ?? x.college.code }, ...figureColumns<CollegeLine>()], rows: r.colleges },
    {
      name: '辅导员',
      columns: [{ header: '辅导员', width: 14, value: (x: CounselorLine) => x.counselor.name ?? '（未分配）' }, { header: '学院', width: 20, value: (x: CounselorLine) => x.college.name ?? x.college.code }, ...figureColumns<CounselorLine>()],
      rows: r.counselors,
    },
    {
      name: '反馈主题',
      columns: [
        { header: '主题', width: 14, value: (x: TopicLine) => x.topicZh },
        { header: '反馈条数', width: 10, value: (x: TopicLine) => x.tickets },
        { header: '待回应', width: 10, value: (x: TopicLine) => x.open },
        { header: '已回应', width: 10, value: (x: TopicLine) => x.responded },
        { header: '已办结', width: 10, value: (x: TopicLine) => x.closed },
      ],
      rows: r.topics,
    },
    {
      name: '未办结',
      columns: [
        { header: '负责人', width: 14, value: (x: OwnerLine) => x.name },
        { header: '未办结', width: 10, value: (x: OwnerLine) => x.unfinished },
        { header: '已超期', width: 10, value: (x: OwnerLine) => x.overdue },
      ],
      rows: r.owners,
    },
  ];
}
