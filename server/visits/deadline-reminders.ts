import type { Types } from 'mongoose';
import { collegeDirectory } from '../colleges/colleges.service';
import { isDuplicateKey } from '../db/duplicate-key';
import { CampaignMilestoneModel } from './campaign-milestone.model';
import { publishEvent } from '../events/event-bus';
import { collegeLeadersOf, staffWithRole } from '../identity/staff-directory';
import type { StudentsService } from '../students/students.service';
import { CampaignModel } from './campaign.model';
import type { CampaignRecord } from './campaigns.service';
import { requiredVisits } from './coverage';
import { formatDeadline, planDeadlineFor } from './deadlines';
import { VisitPlanModel, planId } from './visit-plan.model';
import { PLAN_STATE_ZH, type PlanState } from './visit-vocabulary';

/** Hours before a college's plan deadline at which it is reminded (when it has no approved plan). */
export const REMINDER_HOURS = [72, 24, 2] as const;
export type ReminderStage = '72h' | '24h' | '2h' | 'overdue';

const HOUR_MS = 3_600_000;

export function campaignMilestoneId(campaign: Types.ObjectId | string, college: Types.ObjectId | string, dueAt: Date, stage: ReminderStage): string {
  return `${String(campaign)}:${String(college)}:${dueAt.getTime()}:${stage}`;
}

/**
 * The stage a college is in at `now`: the tightest threshold already passed before its deadline (at 20 h
 * left that is 24 h, and the 72 h reminder is not sent any more), `overdue` after it, none more than 72 h
 * before.
 */
export function reminderStage(dueAt: Date, now: Date): ReminderStage | undefined {
  const left = dueAt.getTime() - now.getTime();
  if (left < 0) return 'overdue';
  const passed = REMINDER_HOURS.filter((h) => left <= h * HOUR_MS);
  return passed.length ? (`${passed[passed.length - 1]}h` as ReminderStage) : undefined;
}

interface Candidate {
  campaign: CampaignRecord;
  college: Types.ObjectId;
  dueAt: Date;
  extended: boolean;
  stage: ReminderStage;
  plan: { state: string; entries: Array<{ student: unknown; leaderVisit: boolean }>; firstSubmittedAt?: Date | null; step: number } | null;
}

/**
 * One pass over the open campaigns: each college without an approved plan that has reached a reminder
 * stage gets `campaign.deadlineApproaching` (72 h, 24 h, 2 h before its deadline — the campaign's or its
 * extension, Asia/Shanghai as stored) or, after the deadline, `campaign.planOverdue` — each once, whatever
 * runs at the same time. Reads the plans of a campaign in one query and counts students by aggregation.
 * Returns the milestones it took.
 */
export async function checkPlanDeadlines(students: Pick<StudentsService, 'countByCollege'>, now: Date = new Date()): Promise<string[]> {
  const campaigns = (await CampaignModel.find({ state: 'open' }).lean()) as CampaignRecord[];
  const candidates: Candidate[] = [];
  for (const campaign of campaigns) {
    const plans = await VisitPlanModel.find({ _id: { $in: campaign.colleges.map((c) => planId(campaign._id, c)) } })
      .select('college state entries.student entries.leaderVisit firstSubmittedAt step approved.at')
      .lean();
    const byCollege = new Map(plans.map((p) => [String(p.college), p]));
    for (const college of campaign.colleges) {
      const plan = byCollege.get(String(college));
      if (plan?.approved) continue;
      const { dueAt, extension } = planDeadlineFor(campaign, college);
      const stage = reminderStage(dueAt, now);
      if (stage) candidates.push({ campaign, college, dueAt, extended: !!extension, stage, plan: (plan as Candidate['plan']) ?? null });
    }
  }
  if (!candidates.length) return [];
  const ids = candidates.map((c) => campaignMilestoneId(c.campaign._id, c.college, c.dueAt, c.stage));
  const taken = new Set((await CampaignMilestoneModel.find({ _id: { $in: ids } }).select('_id').lean()).map((m) => m._id));
  const due = candidates.filter((_, i) => !taken.has(ids[i]!));
  if (!due.length) return [];
  const dueColleges = [...new Map(due.map((c) => [String(c.college), c.college])).values()];
  const [enrolled, directory, studentAffairs, leaders] = await Promise.all([
    students.countByCollege(dueColleges),
    collegeDirectory(),
    staffWithRole('studentAffairs'),
    collegeLeadersOf(dueColleges),
  ]);
  const took: string[] = [];
  for (const candidate of due) {
    const { campaign, college, dueAt, stage, plan } = candidate;
    const id = campaignMilestoneId(campaign._id, college, dueAt, stage);
    try {
      await CampaignMilestoneModel.create({ _id: id, campaign: campaign._id, college, stage, dueAt, at: now });
    } catch (error) {
      if (isDuplicateKey(error)) continue; // another run sent it
      throw error;
    }
    took.push(id);
    const ref = directory.get(String(college));
    const studentCount = enrolled.get(String(college)) ?? 0;
    const counted = new Set((plan?.entries ?? []).filter((e) => campaign.leaderVisitsCount || !e.leaderVisit).map((e) => String(e.student)));
    const state = (plan?.state ?? 'none') as PlanState | 'none';
    const hoursLeft = Math.max(0, Math.round(((dueAt.getTime() - now.getTime()) / HOUR_MS) * 10) / 10);
    const payload = {
      campaignId: String(campaign._id),
      campaignTitle: campaign.title,
      academicYear: campaign.academicYear,
      collegeId: String(college),
      collegeCode: ref?.code ?? null,
      collegeName: ref?.name ?? null,
      leaders: leaders.get(String(college)) ?? [],
      stage,
      dueAt,
      dueText: formatDeadline(dueAt),
      extended: candidate.extended,
      hoursLeft,
      hoursOverdue: stage === 'overdue' ? Math.round(((now.getTime() - dueAt.getTime()) / HOUR_MS) * 10) / 10 : 0,
      planState: state,
      planStateZh: state === 'none' ? '未填报' : PLAN_STATE_ZH[state],
      submitted: !!plan?.firstSubmittedAt,
      awaiting: state === 'submitted' ? campaign.approvalSteps[plan!.step] ?? null : null,
      students: studentCount,
      required: requiredVisits(studentCount, campaign.coverageBasisPoints),
      planned: counted.size,
      ...(stage === 'overdue' ? { studentAffairs } : {}),
    };
    await publishEvent({ type: stage === 'overdue' ? 'campaign.planOverdue' : 'campaign.deadlineApproaching', college, payload });
  }
  return took;
}
