import type { MentoringGroupsService } from '../../mentoring/mentoring-groups.service';
import { dayText, type TaskSource } from './task-source';

/** C2: the actor leads an active group that has logged nothing for the configured weeks — log an activity. */
export function mentoringInactiveSource(groups: Pick<MentoringGroupsService, 'list'>): TaskSource {
  return {
    kind: 'mentoringActivity',
    zh: '帮扶小组待记录活动',
    en: 'Mentoring groups to log an activity for',
    appliesTo: (actor) => actor.permissions.has('mentoring:log'),
    async collect(context, limit) {
      // A member's silent groups (index `members.user, state`), those they lead kept: at most 5 members a group.
      const found = await groups.list(context.actor, { member: 'me', inactive: true, limit: 200 }, context.now);
      const led = found.items.filter((g) => g.leader?.userId === String(context.actor.userId));
      return {
        rows: led.slice(0, limit).map((g) => ({
          id: `mentoringActivity:${g.id}`,
          title: `记录帮扶活动：${g.student.name}`,
          student: { id: g.student.id, studentNo: g.student.studentNo, name: g.student.name },
          dueAt: g.lastActivityAt ? new Date(g.lastActivityAt) : null,
          overdue: true,
          note: g.lastActivityAt ? `上次活动 ${dayText(new Date(g.lastActivityAt))}` : '尚无活动记录',
          href: `/mentoring/${encodeURIComponent(g.id)}`,
        })),
        total: led.length,
        truncated: led.length > limit,
      };
    },
  };
}
