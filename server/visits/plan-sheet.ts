import { DateTime } from 'luxon';
import { ZONE } from '../calendar/academic-calendar';
import type { PlansService } from './plans.service';
import { BREAK_ZH, PLAN_STATE_ZH } from './visit-vocabulary';

export type Printable = Awaited<ReturnType<PlansService['printable']>>;

export const VISIT_COLUMNS = ['序号', '学号', '姓名', '年级', '专业', '对象类别', '家访方式', '家访类型', '家访人员'] as const;

/**
 * D5, 附件1: the words of the visit-plan application, once, for the HTML print view and the PDF alike —
 * the college visits and the school-leader visits apart, the coverage, the implementation plan, the
 * approvals, and the lines the college leader signs and stamps on the paper copy.
 */
export function planSheet(p: Printable, printedAt: Date) {
  const at = (d: Date) => DateTime.fromJSDate(d).setZone(ZONE).toFormat('yyyy年M月d日 HH:mm');
  const rows = (leaderVisit: boolean) =>
    p.entries
      .filter((e) => e.leaderVisit === leaderVisit)
      .map((e, i) => [String(i + 1), e.studentNo, e.studentName, e.grade, e.major, e.targetTypeZh, e.modeZh, e.kindZh, e.visitors.map((v) => `${v.name}（${v.roleZh}）`).join('、')]);
  const college = rows(false);
  const leaders = rows(true);
  const c = p.coverage;
  const implementation: Array<[string, string]> = [
    ['（一）组织安排', p.implementation.organization],
    ['（二）时间安排', p.implementation.schedule],
    ['（三）安全预案', p.implementation.safety],
  ];
  if (p.implementation.other.trim()) implementation.push(['（四）其他', p.implementation.other]);
  return {
    title: p.campaign.title,
    subtitle: `家访计划申报表（${p.campaign.academicYear} 学年${BREAK_ZH[p.campaign.break]}）`,
    documentTitle: `家访计划申报表 · ${p.college.name}`,
    meta: [
      [`学院：${p.college.name}`, `状态：${PLAN_STATE_ZH[p.state]}（第 ${p.revision} 版${p.version === 'approved' ? '，已批准版本' : ''}）`],
      [`学院学生总数：${c.enrolled} 人`, `计划家访：${c.counted} 人（需至少 ${c.required} 人，${c.percent}）`],
      [`学院家访：${college.length} 人次`, `校领导家访：${c.leaderVisits.students} 人（${c.leaderVisits.countTowardCoverage ? '计入' : '不计入'}学院家访比例）`],
    ],
    tables: [
      { heading: '一、学院家访对象', rows: college },
      { heading: '二、校领导家访对象', rows: leaders },
    ],
    implementationHeading: '三、家访实施方案',
    implementation: implementation.map(([label, text]) => ({ label, text: text.trim() || '（未填写）' })),
    approvalsHeading: '四、审批记录',
    approvals: p.approvals.length ? p.approvals.map((a) => `${a.roleZh}：${a.byName}（${at(a.at)}）`).join('；') : '（尚未审批）',
    signature: ['学院领导（签字）：________________', '日期：______年____月____日'],
    stamp: '学院（盖章）：',
    stampBox: '盖章处',
    printed: `打印时间：${at(printedAt)}。纸质版经学院领导签字盖章后报送学工部。`,
    empty: '（无）',
  };
}
