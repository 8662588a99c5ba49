import { can } from '../../identity/policy';
import type { TicketsService } from '../../letters/tickets/tickets.service';
import { FEEDBACK_TOPIC_ZH, type FeedbackTopic } from '../../letters/letter-vocabulary';
import { dayText, type TaskSource } from './task-source';

const ticketHref = (id: string) => `/letters/tickets/${encodeURIComponent(id)}`;

/**
 * B6 §4: the term-letter feedback the actor owns, to answer by its due date (overdue once past it while
 * unanswered), then to follow through and close; gone once closed.
 */
export function feedbackSource(tickets: Pick<TicketsService, 'ownedUnfinished'>): TaskSource {
  return {
    kind: 'feedback',
    zh: '家长反馈待办',
    en: 'Parents’ feedback to answer',
    appliesTo: (actor) => can(actor, 'feedback:respond'),
    async collect(context, limit) {
      const found = await tickets.ownedUnfinished(context.actor, limit);
      return {
        rows: found.items.map((t) => {
          const topic = FEEDBACK_TOPIC_ZH[t.topic as FeedbackTopic];
          const overdue = t.state === 'open' && t.dueAt < context.now;
          const reopened = (t.reopenings ?? []).length > 0;
          return {
            id: `feedback:${t._id}`,
            title: t.state === 'open' ? `回复家长反馈：${topic}${reopened ? '（家长重新打开）' : ''}` : `记录落实并办结家长反馈：${topic}`,
            student: found.students.get(t.letter),
            dueAt: t.dueAt,
            overdue,
            note: [`收到于 ${dayText(t.receivedAt)}`, t.escalatedAt ? '已逾期，已告知院系领导' : t.remindedAt && t.state === 'open' ? '即将到期' : ''].filter(Boolean).join(' · '),
            href: ticketHref(t._id),
          };
        }),
        total: found.total,
        truncated: found.total > found.items.length,
      };
    },
  };
}

/**
 * B1 from B6: a parent who asked to be contacted (家长希望联系) is a contact task of the family's
 * counselor until the counselor records a follow-through on the ticket (the call made) or it closes.
 */
export function feedbackContactSource(tickets: Pick<TicketsService, 'contactWishesFor'>): TaskSource {
  return {
    kind: 'feedbackContact',
    zh: '家长希望联系',
    en: 'Parents asking to be contacted',
    appliesTo: (actor) => actor.role === 'counselor' && can(actor, 'contacts:write'),
    async collect(context, limit) {
      const found = await tickets.contactWishesFor(context.actor, limit);
      return {
        rows: found.items.map(({ submission, tickets: wish }) => {
          const t = wish[0]!;
          return {
            id: `feedbackContact:${submission}`,
            title: `联系家长（家长希望联系）：${wish.map((w) => FEEDBACK_TOPIC_ZH[w.topic as FeedbackTopic]).join('、')}`,
            student: found.students.get(t.letter),
            dueAt: t.dueAt,
            overdue: t.dueAt < context.now,
            note: [t.contactWish?.phone ? `电话 ${t.contactWish.phone}` : '', t.contactWish?.when ? `方便时间：${t.contactWish.when}` : '', '联系后在反馈中记录落实'].filter(Boolean).join(' · '),
            href: ticketHref(t._id),
          };
        }),
        total: found.total,
        truncated: found.total > found.items.length,
      };
    },
  };
}
