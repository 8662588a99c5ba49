import { z } from 'zod/v4';
import { isAcademicYear } from '../../calendar/academic-calendar';

/** Building blocks for request schemas: strict about types, no silent coercion. */

/** A whole number sent as text in a query string (`?limit=20`). */
export const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** Paging of lists: `limit` (default 10) and `skip`. */
export const page = (maxLimit: number) => ({
  limit: queryInt(1, maxLimit).optional().default(10),
  skip: queryInt(0, 1_000_000_000).optional().default(0),
});

export const queryFlag = z.enum(['true', 'false']).transform((v) => v === 'true');
export const academicYear = z.string().refine(isAcademicYear, 'must be an academic year such as 2025-2026');

/** A record id or a human key (student number, username). */
export const recordRef = z.string().trim().min(1).max(60);

/** Free text of at most `max` characters. */
export const text = (max: number) => z.string().max(max);
