import { can } from '../../identity/policy';
import type { ContactsService } from '../../liaison/contacts.service';
import { caseloadOwner, dayText, studentHref, studentRef, type TaskSource } from './task-source';

/** B2's care tiers as seed 000 names their cadence. */
const TIER_ZH: Record<string, string> = { special: '特殊学生', key: '重点学生', general: '一般学生' };

/**
 * B2: families of the students the actor answers for that are overdue for a contact per care tier, due
 * the tier's interval after the last contact (the contacts module's rule, `cadence`); a family never
 * contacted has been due since the archive was made.
 */
export function overdueContactsSource(contacts: Pick<ContactsService, 'cadence'>): TaskSource {
  return {
    kind: 'contact',
    zh: '逾期联系',
    en: 'Overdue contacts',
    appliesTo: (actor) => caseloadOwner(actor) !== undefined && can(actor, 'contacts:write'),
    async collect(context, limit) {
      const { students, truncated } = await context.caseload();
      const overdue = students
        .map((s) => ({ student: s, ...contacts.cadence(s, context.now) }))
        .filter((s) => s.overdue)
        .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
      return {
        rows: overdue.slice(0, limit).map(({ student: s, intervalDays, dueAt }) => ({
          id: `contact:${String(s._id)}`,
          title: `联系家长（${TIER_ZH[s.careTier] ?? s.careTier}，每 ${intervalDays} 天）`,
          student: studentRef(s),
          dueAt,
          overdue: true,
          tier: s.careTier,
          tierZh: TIER_ZH[s.careTier],
          note: s.lastContactAt ? `上次联系：${dayText(s.lastContactAt)}` : '尚无联系记录',
          href: studentHref(s._id, 'contacts'),
        })),
        total: overdue.length,
        truncated: truncated || overdue.length > limit,
      };
    },
  };
}
