import { can } from '../../identity/policy';
import type { CasesService } from '../../liaison/cases.service';
import { dayText, studentHref, type TaskSource } from './task-source';

/** Who handles key-communication cases, and what else each oversees. */
const OVERSIGHT = { counselor: undefined, collegeLeader: 'all', studentAffairs: 'escalated' } as const;

/**
 * B4/B7: open key-communication cases, due by the case's deadline. Everyone who handles cases gets those
 * they own and those on the students they answer for; a college leader also every overdue case of the
 * college (to see it through), student affairs every escalated case of the school.
 */
export function casesSource(cases: Pick<CasesService, 'openFor'>): TaskSource {
  return {
    kind: 'case',
    zh: '重点沟通事项',
    en: 'Key-communication cases',
    appliesTo: (actor) => actor.role in OVERSIGHT && can(actor, 'cases:manage'),
    async collect(context, limit) {
      const { actor, now } = context;
      const { students } = await context.caseload();
      const found = await cases.openFor(actor, { students: students.map((s) => s._id), overdue: OVERSIGHT[actor.role as keyof typeof OVERSIGHT] }, limit, now);
      return {
        rows: found.items.map((c) => ({
          id: `case:${c.id}`,
          title: `${c.mine ? '' : '督办'}重点沟通：${c.categoryZh}`,
          student: c.student,
          dueAt: c.deadline,
          overdue: c.overdue,
          note: c.escalatedAt ? `已于 ${dayText(c.escalatedAt)} 上报院系领导` : undefined,
          href: studentHref(c.student, 'cases'),
        })),
        total: found.total,
        truncated: found.truncated,
      };
    },
  };
}
