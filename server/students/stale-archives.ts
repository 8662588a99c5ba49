import type { Actor } from '../identity/actor';
import { scopeFilter } from '../identity/policy';
import { staffContacts } from '../identity/staff-directory';
import { StudentModel } from './student.model';

/** A3 reminders: how many archives each counselor still has to confirm for the academic year. */
export async function staleByCounselor(actor: Actor, academicYear: string) {
  const rows = await StudentModel.aggregate<{ _id: unknown; stale: number }>([
    { $match: { ...scopeFilter(actor, 'student'), lastConfirmedYear: { $ne: academicYear } } },
    { $group: { _id: '$counselor', stale: { $sum: 1 } } },
    { $sort: { stale: -1 } },
  ]);
  const people = await staffContacts(rows.map((r) => (r._id ? String(r._id) : null)));
  return rows.map((r) => {
    const person = r._id ? people.get(String(r._id)) : undefined;
    return { counselor: r._id ? String(r._id) : null, counselorName: person?.displayName ?? null, counselorEmail: person?.email ?? null, stale: r.stale };
  });
}
