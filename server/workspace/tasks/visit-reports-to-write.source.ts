import { DateTime } from 'luxon';
import { ZONE } from '../../calendar/academic-calendar';
import { can } from '../../identity/policy';
import type { CampaignsService } from '../../visits/campaigns.service';
import { missingReports } from '../../visits/reports/missing-reports';
import type { TaskSource } from './task-source';

/**
 * D6: the visitor's approved visits of the open campaigns whose report is not submitted yet — none
 * started, a draft, or returned — due `graceDays` after the visit's planned day (the end of the visit
 * window when none was planned), overdue after that. Done when the report is submitted.
 */
export function visitReportsToWriteSource(campaigns: CampaignsService, graceDays: number): TaskSource {
  return {
    kind: 'visitReport',
    zh: '家访报告待提交',
    en: 'Visit reports to submit',
    appliesTo: (actor) => can(actor, 'contacts:write') && can(actor, 'visits:read'),
    async collect(context, limit) {
      const found = await missingReports(context.actor, campaigns, { graceDays }, graceDays, context.now, { upcoming: true, mine: true });
      const rows = found.items.slice(0, limit).map((item) => {
        const dueAt = DateTime.fromISO(item.dueOn, { zone: ZONE }).plus({ days: graceDays }).endOf('day').toJSDate();
        const what = item.reportState === 'returned' ? '修改并重新提交家访报告（已退回）' : item.reportState === 'draft' ? '提交家访报告（草稿）' : '填写家访报告';
        return {
          id: `visitReport:${item.reportId}`,
          title: `${what}：${item.campaign.title}`,
          student: { id: item.student, studentNo: item.studentNo, name: item.studentName, className: item.className },
          dueAt,
          overdue: dueAt < context.now,
          note: [item.modeZh, item.plannedOn ? `计划 ${item.plannedOn}` : '', item.visitors.length > 1 ? `同行：${item.visitors.map((v) => v.name).join('、')}` : ''].filter(Boolean).join(' · '),
          href: item.reportState === 'none' ? `/visits/mine?campaign=${encodeURIComponent(item.campaign.id)}` : `/visits/reports/${encodeURIComponent(item.reportId)}`,
        };
      });
      return { rows, total: found.total, truncated: found.total > rows.length };
    },
  };
}
