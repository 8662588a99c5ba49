import { can } from '../../identity/policy';
import type { AwardsService } from '../../liaison/awards.service';
import { dayText, studentHref, type TaskSource } from './task-source';

const HANDLERS = new Set(['counselor', 'collegeLeader', 'studentAffairs']);

/**
 * B3: awards and penalties whose parents have not been told yet (closed only by a logged contact), for
 * whoever owns the task and for the counselor now looking after the student; due `HSB_AWARD_NOTIFY_DAYS`
 * (default 7) after the record.
 */
export function awardNotificationsSource(awards: Pick<AwardsService, 'openNotificationsFor'>): TaskSource {
  return {
    kind: 'award',
    zh: '奖惩告知家长',
    en: 'Awards to tell parents',
    appliesTo: (actor) => HANDLERS.has(actor.role) && can(actor, 'awards:record'),
    async collect(context, limit) {
      const { students } = await context.caseload();
      const found = await awards.openNotificationsFor(context.actor, students.map((s) => s._id), limit, context.now);
      return {
        rows: found.items.map((a) => ({
          id: `award:${a.id}`,
          title: `告知家长${a.kind === 'penalty' ? '处分' : '奖励'}：${a.title}`,
          student: a.student,
          dueAt: a.dueAt,
          overdue: a.overdue,
          note: `记录于 ${dayText(a.recordedAt)}`,
          href: studentHref(a.student, 'awards'),
        })),
        total: found.total,
        truncated: found.truncated,
      };
    },
  };
}
