import { can, isCollegeScoped } from '../../identity/policy';
import type { PlansService } from '../../visits/plans.service';
import { planHref, type TaskSource } from './task-source';

/**
 * D5: the college's visit plan in each open campaign while it must still be filed — not filed, a draft
 * (an amendment too) or returned — due by the college's plan deadline (its extension if it has one).
 * For the college's counselors and leaders, who file it.
 */
export function plansToFileSource(plans: Pick<PlansService, 'toFile'>): TaskSource {
  return {
    kind: 'planToFile',
    zh: '家访计划待提交',
    en: 'Visit plans to file',
    appliesTo: (actor) => isCollegeScoped(actor) && can(actor, 'visitPlans:write'),
    async collect(context, limit) {
      const due = await plans.toFile(context.actor, context.now);
      const what = (p: (typeof due)[number]) => (p.state === 'returned' ? '修改并重新提交家访计划（已退回）' : p.amending ? '提交家访计划变更' : p.state === 'draft' ? '提交家访计划（草稿）' : '填报家访计划');
      return {
        rows: due.slice(0, limit).map((p) => ({
          id: `planToFile:${p.campaign.id}:${p.college.id}`,
          title: `${what(p)}：${p.campaign.title}`,
          dueAt: p.dueAt,
          overdue: p.overdue,
          note: [p.college.name, p.extended ? '已延期' : ''].filter(Boolean).join(' · ') || undefined,
          href: planHref(p.campaign.id, p.college.code),
        })),
        total: due.length,
        truncated: due.length > limit,
      };
    },
  };
}
