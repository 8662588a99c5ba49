import { academicYearRange } from '../../calendar/academic-calendar';
import { can } from '../../identity/policy';
import type { StudentsService } from '../../students/students.service';
import { caseloadOwner, studentHref, studentRef, type TaskSource } from './task-source';

/**
 * A3: archives the actor answers for that are not yet confirmed (or changed) in the current academic
 * year. A3 asks for an update at least once every academic year, so each is due by the last moment of
 * that year (31 Aug 23:59 Asia/Shanghai with the default `HSB_ACADEMIC_YEAR_START=09-01`); the year
 * after, it is a new task.
 */
export function archiveConfirmationsSource(students: Pick<StudentsService, 'currentYear' | 'calendar'>): TaskSource {
  return {
    kind: 'archive',
    zh: '档案年度确认',
    en: 'Archives to confirm',
    appliesTo: (actor) => caseloadOwner(actor) !== undefined && can(actor, 'students:write'),
    async collect(context, limit) {
      const year = students.currentYear(context.now);
      const dueAt = academicYearRange(year, students.calendar).end;
      const { students: caseload, truncated } = await context.caseload();
      const stale = caseload.filter((s) => s.lastConfirmedYear !== year);
      return {
        rows: stale.slice(0, limit).map((s) => ({
          id: `archive:${String(s._id)}`,
          title: `确认 ${year} 学年档案信息`,
          student: studentRef(s),
          dueAt,
          overdue: dueAt.getTime() < context.now.getTime(),
          note: s.lastConfirmedYear ? `上次确认：${s.lastConfirmedYear} 学年` : '从未确认',
          href: studentHref(s._id, 'archive'),
        })),
        total: stale.length,
        truncated: truncated || stale.length > limit,
      };
    },
  };
}
