import { can, isCollegeScoped } from '../../identity/policy';
import type { MentoringGroupsService } from '../../mentoring/mentoring-groups.service';
import { dayText, type TaskSource } from './task-source';

/** C1: proposed mentoring groups the actor approves — a college leader's own college, student affairs every college. */
export function mentoringApprovalsSource(groups: Pick<MentoringGroupsService, 'list'>): TaskSource {
  return {
    kind: 'mentoringApproval',
    zh: '帮扶小组待审批',
    en: 'Mentoring groups to approve',
    appliesTo: (actor) => can(actor, 'mentoring:approve') && (!isCollegeScoped(actor) || actor.role === 'collegeLeader'),
    async collect(context, limit) {
      const found = await groups.list(context.actor, { state: 'proposed', limit }, context.now);
      return {
        rows: found.items.map((g) => ({
          id: `mentoringApproval:${g.id}`,
          title: `审批帮扶小组：${g.student.name}（组长 ${g.leader?.name ?? '—'}）`,
          student: { id: g.student.id, studentNo: g.student.studentNo, name: g.student.name },
          dueAt: null,
          overdue: false,
          note: `${g.proposedByName} 提交于 ${dayText(new Date(g.proposedAt))}`,
          href: `/mentoring/${encodeURIComponent(g.id)}`,
        })),
        total: found.total,
        truncated: found.total > found.items.length,
      };
    },
  };
}
