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

/** Whole years of age on a day, in Asia/Shanghai. */
export function ageOn(birthDate: Date, on: Date = new Date()): number {
  const birth = DateTime.fromJSDate(birthDate).setZone(ZONE);
  return Math.floor(DateTime.fromJSDate(on).setZone(ZONE).diff(birth, 'years').years);
}
