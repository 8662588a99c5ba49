import { DateTime } from 'luxon';
import { ZONE } from '../calendar/academic-calendar';
import type { PlansService } from './plans.service';
import { BREAK_ZH, PLAN_STATE_ZH } from './visit-vocabulary';

type Printable = Awaited<ReturnType<PlansService['printable']>>;
type Row = Printable['entries'][number];

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function rows(entries: Row[]): string {
  if (entries.length === 0) return '<tr><td colspan="9" class="empty">（无）</td></tr>';
  return entries
    .map(
      (e, i) =>
        `<tr><td>${i + 1}</td><td>${escape(e.studentNo)}</td><td>${escape(e.studentName)}</td><td>${escape(e.grade)}</td><td>${escape(e.major)}</td>` +
        `<td>${escape(e.targetTypeZh)}</td><td>${escape(e.modeZh)}</td><td>${escape(e.kindZh)}</td>` +
        `<td>${e.visitors.map((v) => `${escape(v.name)}（${escape(v.roleZh)}）`).join('、')}</td></tr>`,
    )
    .join('\n      ');
}

const HEAD = '<tr><th>序号</th><th>学号</th><th>姓名</th><th>年级</th><th>专业</th><th>对象类别</th><th>家访方式</th><th>家访类型</th><th>家访人员</th></tr>';

function paragraph(label: string, text: string): string {
  return `<h3>${label}</h3><p class="text">${text.trim() ? escape(text).replace(/\n/g, '<br>') : '（未填写）'}</p>`;
}

/**
 * D5, 附件1: the visit-plan application as a printable A4 page, with the college visits and the
 * school-leader visits apart, the coverage, the implementation plan, and room for the college leader's
 * signature and the college stamp that the paper copy needs.
 */
export function renderPlanPrint(p: Printable, printedAt: Date = new Date()): string {
  const year = p.campaign.academicYear;
  const heading = `${escape(p.campaign.title)}`;
  const college = p.entries.filter((e) => !e.leaderVisit);
  const leaders = p.entries.filter((e) => e.leaderVisit);
  const c = p.coverage;
  const at = (d: Date) => DateTime.fromJSDate(d).setZone(ZONE).toFormat('yyyy年M月d日 HH:mm');
  const approvals = p.approvals.length ? p.approvals.map((a) => `${escape(a.roleZh)}：${escape(a.byName)}（${at(a.at)}）`).join('；') : '（尚未审批）';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>家访计划申报表 · ${escape(p.college.name)}</title>
<style>
  @page { size: A4; margin: 15mm; }
  body { font-family: "Noto Serif CJK SC", "Songti SC", serif; color: #111; font-size: 11pt; }
  h1 { text-align: center; font-size: 18pt; margin: 0 0 2mm; }
  h2 { text-align: center; font-size: 13pt; font-weight: normal; margin: 0 0 6mm; }
  h3 { font-size: 12pt; margin: 5mm 0 2mm; }
  table { width: 100%; border-collapse: collapse; }
  th, td { border: 1px solid #333; padding: 1.5mm 2mm; text-align: center; }
  td.empty { color: #666; }
  .meta td { text-align: left; }
  p.text { margin: 0; line-height: 1.7; text-indent: 2em; }
  .sign { margin-top: 12mm; display: flex; justify-content: space-between; }
  .sign div { width: 45%; line-height: 2.4; }
  .stamp { display: inline-block; width: 40mm; height: 40mm; border: 1px dashed #999; text-align: center; line-height: 40mm; color: #999; }
  .note { color: #555; font-size: 9pt; margin-top: 6mm; }
  @media print { .note { display: none; } }
</style></head>
<body>
  <h1>${heading}</h1>
  <h2>家访计划申报表（${escape(year)} 学年${BREAK_ZH[p.campaign.break]}）</h2>
  <table class="meta">
    <tr><td>学院：${escape(p.college.name)}</td><td>状态：${PLAN_STATE_ZH[p.state]}（第 ${p.revision} 版${p.version === 'approved' ? '，已批准版本' : ''}）</td></tr>
    <tr><td>学院学生总数：${c.enrolled} 人</td><td>计划家访：${c.counted} 人（需至少 ${c.required} 人，${c.percent}）</td></tr>
    <tr><td>学院家访：${college.length} 人次</td><td>校领导家访：${c.leaderVisits.students} 人（${c.leaderVisits.countTowardCoverage ? '计入' : '不计入'}学院家访比例）</td></tr>
  </table>
  <h3>一、学院家访对象</h3>
  <table>
    <thead>${HEAD}</thead>
    <tbody>
      ${rows(college)}
    </tbody>
  </table>
  <h3>二、校领导家访对象</h3>
  <table>
    <thead>${HEAD}</thead>
    <tbody>
      ${rows(leaders)}
    </tbody>
  </table>
  <h3>三、家访实施方案</h3>
  ${paragraph('（一）组织安排', p.implementation.organization)}
  ${paragraph('（二）时间安排', p.implementation.schedule)}
  ${paragraph('（三）安全预案', p.implementation.safety)}
  ${p.implementation.other.trim() ? paragraph('（四）其他', p.implementation.other) : ''}
  <h3>四、审批记录</h3>
  <p class="text">${approvals}</p>
  <div class="sign">
    <div>学院领导（签字）：________________<br>日期：______年____月____日</div>
    <div>学院（盖章）：<br><span class="stamp">盖章处</span></div>
  </div>
  <p class="note">打印时间：${at(printedAt)}。纸质版经学院领导签字盖章后报送学工部。</p>
</body></html>
`;
}
