import type { Types } from 'mongoose';
import { EnrolmentCounts } from '../enrolment-counts';
import { readStudentDirectory } from './student-directory';

/** Kept a minute: a counselor newly given a major's students shows within it. */
const kept = new EnrolmentCounts(60_000);

async function build(): Promise<Map<string, Set<string>>> {
  const map = new Map<string, Set<string>>();
  for (const s of await readStudentDirectory()) {
    if (!s.counselor) continue;
    const key = `${String(s.college)}|${s.major}`;
    const own = map.get(key) ?? new Set<string>();
    own.add(String(s.counselor));
    map.set(key, own);
  }
  return map;
}

/**
 * The counselors of a college's major (who counsel at least one of its students), from the student
 * directory: a ranking hint for mentoring suggestions that would otherwise be a `distinct` over every
 * archive per request.
 */
export async function counselorsOfMajor(college: Types.ObjectId, major: string): Promise<Set<string>> {
  return (await kept.get('counselorsByMajor', build)).get(`${String(college)}|${major}`) ?? new Set();
}
