import { can } from '../../identity/policy';
import type { CasesService } from '../../liaison/cases.service';
import { studentHref, type TaskSource } from './task-source';

/**
 * B7: those who raise key-communication cases without handling them (teachers, mentors, school leaders)
 * follow the cases they raised until the student's counselor closes them: read-only, due by the case's
 * deadline, gone once closed.
 */
export function raisedCasesSource(cases: Pick<CasesService, 'raisedOpen'>): TaskSource {
  return {
    kind: 'raisedCase',
    zh: '我提出的事项',
    en: 'Cases I raised',
    appliesTo: (actor) => can(actor, 'cases:raise') && !can(actor, 'cases:manage'),
    async collect(context, limit) {
      const found = await cases.raisedOpen(context.actor, limit, context.now);
      return {
        rows: found.items.map((c) => ({
          id: `raisedCase:${c.id}`,
          title: `跟进：${c.categoryZh}`,
          student: c.student,
          dueAt: c.deadline,
          overdue: c.overdue,
          note: c.ownerName ? `由 ${c.ownerName} 办理，办结后自动移出` : '办结后自动移出',
          href: studentHref(c.student, 'cases'),
        })),
        total: found.total,
        truncated: found.truncated,
      };
    },
  };
}
