import { DateTime } from 'luxon';
import { ZONE } from './academic-calendar';

/**
 * `days` working days after `from` (Monday to Friday in Asia/Shanghai), at the same time of day: a feedback
 * received on Friday 16:00 with 3 working days is due Wednesday 16:00. Received on a weekend, the count
 * starts on Monday. Public holidays are not known to the service; a deadline may fall on one.
 */
export function addWorkingDays(from: Date, days: number): Date {
  let at = DateTime.fromJSDate(from).setZone(ZONE);
  let left = Math.max(0, Math.floor(days));
  while (left > 0) {
    at = at.plus({ days: 1 });
    if (at.weekday <= 5) left -= 1;
  }
  return at.toJSDate();
}
