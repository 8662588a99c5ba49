import { can } from '../../identity/policy';
import type { PlansService } from '../../visits/plans.service';
import { APPROVER_ROLES } from '../../visits/visit-vocabulary';
import { dayText, planHref, type TaskSource } from './task-source';

/**
 * D5: submitted visit plans whose step now due is the actor's — a college leader's own college, then
 * student affairs — due when the campaign's visits start (plans are approved before visits start).
 */
export function planApprovalsSource(plans: Pick<PlansService, 'awaitingApprovalBy'>): TaskSource {
  return {
    kind: 'planApproval',
    zh: '家访计划待审批',
    en: 'Visit plans to approve',
    appliesTo: (actor) => (APPROVER_ROLES as readonly string[]).includes(actor.role) && can(actor, 'visitPlans:approve'),
    async collect(context, limit) {
      const found = await plans.awaitingApprovalBy(context.actor, limit, context.now);
      return {
        rows: found.items.map((p) => ({
          id: `planApproval:${p.campaign.id}:${p.college.id}`,
          title: `审批${p.amending ? '家访计划变更' : '家访计划'}：${p.college.name || p.college.code} · ${p.campaign.title}`,
          dueAt: p.dueAt,
          overdue: p.overdue,
          note: p.submittedAt ? `提交于 ${dayText(p.submittedAt)}，家访开始前完成审批` : '家访开始前完成审批',
          href: planHref(p.campaign.id, p.college.code),
        })),
        total: found.total,
        truncated: found.truncated,
      };
    },
  };
}
