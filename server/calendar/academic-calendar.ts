import { DateTime } from 'luxon';

export const ZONE = 'Asia/Shanghai';

/** When an academic year begins (month and day, Asia/Shanghai); a setting, never the calendar year. */
export interface CalendarSettings {
  yearStartMonth: number;
  yearStartDay: number;
}

export const DEFAULT_CALENDAR: CalendarSettings = { yearStartMonth: 9, yearStartDay: 1 };

/** `2025-2026` for any moment from 1 Sep 2025 up to 31 Aug 2026 (with the default start). */
export function academicYearOf(moment: Date | DateTime, settings: CalendarSettings = DEFAULT_CALENDAR): string {
  const at = (moment instanceof Date ? DateTime.fromJSDate(moment) : moment).setZone(ZONE);
  const startThisYear = DateTime.fromObject({ year: at.year, month: settings.yearStartMonth, day: settings.yearStartDay }, { zone: ZONE });
  const first = at >= startThisYear ? at.year : at.year - 1;
  return `${first}-${first + 1}`;
}

export function isAcademicYear(label: string): boolean {
  const match = /^(\d{4})-(\d{4})$/.exec(label);
  return !!match && Number(match[2]) === Number(match[1]) + 1;
}

/** First and last instant of an academic year, as Dates. */
export function academicYearRange(label: string, settings: CalendarSettings = DEFAULT_CALENDAR): { start: Date; end: Date } {
  if (!isAcademicYear(label)) throw new Error(`not an academic year: ${label}`);
  const first = Number(label.slice(0, 4));
  const start = DateTime.fromObject({ year: first, month: settings.yearStartMonth, day: settings.yearStartDay }, { zone: ZONE });
  return { start: start.toJSDate(), end: start.plus({ years: 1 }).minus({ milliseconds: 1 }).toJSDate() };
}

/** First and last day of an academic year as dates (`YYYY-MM-DD`, Asia/Shanghai), for clients that plan by it. */
export function academicYearSpan(label: string, settings: CalendarSettings = DEFAULT_CALENDAR): { startsOn: string; endsOn: string } {
  const { start, end } = academicYearRange(label, settings);
  const day = (d: Date) => DateTime.fromJSDate(d).setZone(ZONE).toISODate()!;
  return { startsOn: day(start), endsOn: day(end) };
}

/** Whole years of age on a day in Asia/Shanghai, for a birth date kept as a calendar date. */
export function ageOn(birthDate: Date, on: Date = new Date()): number {
  const birth = DateTime.fromJSDate(birthDate, { zone: 'UTC' });
  const today = DateTime.fromJSDate(on).setZone(ZONE);
  const birthdayPassed = today.month > birth.month || (today.month === birth.month && today.day >= birth.day);
  return today.year - birth.year - (birthdayPassed ? 0 : 1);
}

/**
 * A calendar date (a birthday, a visit day) is kept as midnight UTC of that day, so that it reads back as
 * the same `YYYY-MM-DD` whatever the zone of the server or the client. A moment in time (a form's
 * datetime with an offset, a spreadsheet cell) counts as the day it falls on in Asia/Shanghai.
 */
export function calendarDate(value: unknown): Date | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    const day = DateTime.fromJSDate(value).setZone(ZONE);
    return new Date(Date.UTC(day.year, day.month - 1, day.day));
  }
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const plain = /^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$/.exec(s);
  if (plain) {
    const day = DateTime.fromObject({ year: Number(plain[1]), month: Number(plain[2]), day: Number(plain[3]) }, { zone: 'UTC' });
    return day.isValid ? day.toJSDate() : undefined;
  }
  const moment = DateTime.fromISO(s, { setZone: true });
  return moment.isValid ? calendarDate(moment.toJSDate()) : undefined;
}

/** `YYYY-MM-DD` of a calendar date made by `calendarDate`. */
export function formatCalendarDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
