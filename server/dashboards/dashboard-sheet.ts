import { CASE_CATEGORY_ZH } from '../liaison/key-case.model';
import type { Sheet } from '../http/xlsx-download';
import { CASE_AGES } from './figures';
import type { DashboardView } from './dashboard.service';

type Row = DashboardView['breakdown'][number];
type Figures = DashboardView['figures'];

const FIGURE_COLUMNS: Array<{ header: string; value: (f: Figures) => number }> = [
  { header: '学生数', value: (f) => f.students },
  { header: '本学年未确认档案', value: (f) => f.stale },
  { header: '逾期未联系（合计）', value: (f) => f.overdue },
  { header: '逾期未联系·特殊', value: (f) => f.overdueByTier.special },
  { header: '逾期未联系·重点', value: (f) => f.overdueByTier.key },
  { header: '逾期未联系·一般', value: (f) => f.overdueByTier.general },
  { header: '未结重点沟通个案', value: (f) => f.casesOpen },
  { header: '其中逾期', value: (f) => f.casesOverdue },
  { header: '喜报（本学年）', value: (f) => f.goodNews },
  { header: '喜报已送达', value: (f) => f.goodNewsDelivered },
];

/** The dashboard as a workbook: the figures of the scope, the rows one level down, cases by category and age, visit coverage. */
export function dashboardSheets(view: DashboardView): Sheet<any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const scopeName = view.scope.counselor?.name ?? view.scope.college?.name ?? '全校';
  const summary: Sheet<Figures> = {
    name: '概览',
    columns: [{ header: '范围', width: 20, value: () => scopeName }, ...FIGURE_COLUMNS.map((c) => ({ header: c.header, value: c.value }))],
    rows: [view.figures],
    note: `学年 ${view.academicYear}；数据计算于 ${view.computedAt.toISOString()}`,
  };
  const breakdown: Sheet<Row> = {
    name: view.scope.level === 'school' ? '各学院' : '各辅导员',
    columns: [
      { header: view.scope.level === 'school' ? '学院代码' : '用户名', value: (r) => r.code },
      { header: view.scope.level === 'school' ? '学院' : '辅导员', width: 20, value: (r) => r.name },
      ...FIGURE_COLUMNS.map((c) => ({ header: c.header, value: (r: Row) => c.value(r) })),
    ],
    rows: view.breakdown,
  };
  const cases: Sheet<DashboardView['casesByCategory'][number]> = {
    name: '重点沟通个案',
    columns: [
      { header: '类别', width: 28, value: (r) => CASE_CATEGORY_ZH[r.category] },
      ...CASE_AGES.map((age) => ({ header: `已开 ${age.zh}`, value: (r: DashboardView['casesByCategory'][number]) => r.ages[age.key] ?? 0 })),
      { header: '逾期', value: (r) => r.overdue },
    ],
    rows: view.casesByCategory,
  };
  const coverage: Sheet<DashboardView['coverage'][number]> = {
    name: '家访覆盖',
    columns: [
      { header: '家访活动', width: 28, value: (r) => r.title },
      { header: '在校学生', value: (r) => r.enrolled },
      { header: '需家访（按比例）', value: (r) => r.required },
      { header: '已计划（去重）', value: (r) => r.planned },
      { header: '学院数', value: (r) => r.colleges },
      { header: '计划已批准学院数', value: (r) => r.approved },
    ],
    rows: view.coverage,
  };
  return view.scope.level === 'counselor' ? [summary, cases, coverage] : [summary, breakdown, cases, coverage];
}
