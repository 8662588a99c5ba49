import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { ZONE } from '../calendar/academic-calendar';

/**
 * A deadline as people write it: `2026-12-29 12:00` (or `2026-12-29T12:00`) is that wall-clock time in
 * Asia/Shanghai; an ISO date-time with an offset (`…+08:00`, `…Z`) is that instant. Undefined when invalid.
 */
export function parseDeadline(value: string): Date | undefined {
  const text = value.trim().replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
  const at = DateTime.fromISO(text, { zone: ZONE, setZone: false });
  return at.isValid ? at.toJSDate() : undefined;
}

/** `2026年12月29日 12:00` (Asia/Shanghai), for messages and the print view. */
export function formatDeadline(at: Date): string {
  return DateTime.fromJSDate(at).setZone(ZONE).toFormat('yyyy年M月d日 HH:mm');
}

/**
 * Late is any moment after the due instant: due "29 Dec 12:00" means a filing at 12:00:00 is on time and
 * one at 12:00:01 Asia/Shanghai is late.
 */
export function isLate(dueAt: Date, filedAt: Date): boolean {
  return filedAt.getTime() > dueAt.getTime();
}

export interface Extension {
  college: Types.ObjectId;
  until: Date;
  reason: string;
  byName: string;
  at: Date;
}

/** The plan deadline that holds for a college: the campaign's, or the latest extension recorded for that college. */
export function planDeadlineFor(campaign: { planDueAt: Date; extensions: readonly Extension[] }, college: Types.ObjectId): { dueAt: Date; extension: Extension | null } {
  const own = campaign.extensions.filter((e) => e.college.equals(college));
  const latest = own.length ? own[own.length - 1]! : null;
  return { dueAt: latest ? latest.until : campaign.planDueAt, extension: latest };
}
