import { Types } from 'mongoose';
import { publishEvent } from '../events/event-bus';
import { claimSilentStretch } from './mentoring-claims';
import { MentoringGroupModel, type MentoringGroupRecord } from './mentoring-group.model';
import { leaderOf, weeksSilent } from './mentoring-groups.service';

const WEEK_MS = 7 * 86_400_000;
/** Silent groups read per page of the sweep (index `state, lastActivityAt`), paged on by `_id`. */
const PAGE = 200;

/**
 * C2, the minute sweep: an active group with no activity for `weeks` weeks is announced once per silent
 * stretch (`mentoring.inactive` to its leader) — the claim `<group>:<lastActivityAt>` is inserted by exactly one
 * process; a new activity raises lastActivityAt and starts a new stretch. Answers how many were announced.
 */
export async function sweepInactiveGroups(weeks: number, now: Date = new Date(), publicUrl = ''): Promise<number> {
  const since = new Date(now.getTime() - weeks * WEEK_MS);
  let announced = 0;
  let after: Types.ObjectId | undefined;
  for (;;) {
    const filter: Record<string, unknown> = { state: 'active', lastActivityAt: { $lt: since } };
    if (after) filter._id = { $gt: after };
    const page = await MentoringGroupModel.find(filter).sort({ _id: 1 }).limit(PAGE).select('student studentName studentNo college members lastActivityAt').lean<MentoringGroupRecord[]>();
    for (const group of page) {
      const last = new Date(group.lastActivityAt!);
      if (!(await claimSilentStretch(group._id, last, now))) continue;
      const leader = leaderOf(group);
      await publishEvent({
        type: 'mentoring.inactive',
        college: group.college,
        owner: leader ? new Types.ObjectId(leader.userId) : undefined,
        payload: { groupId: String(group._id), studentId: String(group.student), studentName: group.studentName, studentNo: group.studentNo, collegeId: String(group.college), leader, weeksSilent: weeksSilent(group, now), lastActivityAt: last.toISOString(), link: `${publicUrl}/mentoring/${String(group._id)}` },
      });
      announced += 1;
    }
    if (page.length < PAGE) return announced;
    after = page[page.length - 1]!._id;
  }
}
