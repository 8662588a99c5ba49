import type { Types } from 'mongoose';
import { readStudentDirectory } from './student-directory';

/** How long the map is kept: a counselor newly given a major's students shows within this. */
const KEEP_MS = 60_000;

let kept: { at: number; map: Promise<Map<string, Set<string>>> } | undefined;

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
 * directory, kept for a minute: a ranking hint for mentoring suggestions that would otherwise be a
 * `distinct` over every archive per request.
 */
export async function counselorsOfMajor(college: Types.ObjectId, major: string, now = Date.now()): Promise<Set<string>> {
  if (!kept || now - kept.at > KEEP_MS) {
    const map = build();
    const entry = { at: now, map };
    kept = entry;
    map.catch(() => {
      if (kept === entry) kept = undefined;
    });
  }
  return (await kept.map).get(`${String(college)}|${major}`) ?? new Set();
}
