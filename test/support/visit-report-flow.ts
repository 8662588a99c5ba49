import { DateTime } from 'luxon';
import type { Credentials, TestService } from './test-service';

/**
 * The steps a visit report goes through, over HTTP: a campaign around today, an approved plan, a report
 * started, filled and submitted. For tests of what follows a submitted report (D8).
 */
const TODAY = DateTime.now().setZone('Asia/Shanghai').startOf('day');
export const day = (offset: number): string => TODAY.plus({ days: offset }).toISODate()!;

const IMPLEMENTATION = { organization: '学院统一部署', schedule: '分批开展', safety: '结伴出行，保持通讯畅通' };

/** Everything a submitted report must say, for a current student visited on `visitedOn`. */
export const reportContent = (visitedOn: string) => ({
  visitedOn,
  place: '学生家中',
  metWith: '张父（父亲）',
  orientations: ['policy', 'study'],
  familyState: '父母务农，家中四口人',
  account: '辅导员电话联系学生父亲，交流学生在校表现和假期安排。',
  reflections: '家校沟通让我们更了解学生的成长环境。',
  parentOpinion: '希望学校多关注孩子的学业。',
  followUp: { needed: true, needs: '开学后安排高数辅导' },
});

/** An open campaign for `colleges` whose visit window starts `startsIn` days from today; phone visits need no photo. */
export async function openPhoneCampaign(t: TestService, officer: Credentials, title: string, startsIn: number, colleges = ['A', 'B']): Promise<string> {
  const created = await t.request('POST', '/api/visit-campaigns', {
    as: officer,
    body: { title, break: 'winter', visitStartsOn: day(startsIn), visitEndsOn: day(30), planDueAt: `${day(5)} 12:00`, colleges, evidence: { onsite: 4, video: 2, phone: 0 } },
  });
  if (created.status !== 201) throw new Error(`campaign: ${created.status} ${JSON.stringify(created.body)}`);
  const opened = await t.request('POST', `/api/visit-campaigns/${created.body.id}/open`, { as: officer });
  if (opened.status !== 200) throw new Error(`open: ${opened.status} ${JSON.stringify(opened.body)}`);
  return created.body.id as string;
}

/** Files, submits and approves college A's plan of phone visits; answers the approved entry ids by student number. */
export async function approvedPhonePlan(t: TestService, campaign: string, people: { counselor: Credentials; leader: Credentials; officer: Credentials }, visits: Array<{ student: string; visitors: Credentials[] }>): Promise<Map<string, string>> {
  const route = `/api/visit-campaigns/${campaign}/plans/A`;
  const entries = visits.map((v) => ({ student: v.student, mode: 'phone', kind: 'general', visitors: v.visitors.map((p) => ({ user: p.username })) }));
  const steps = [
    await t.request('PUT', route, { as: people.counselor, body: { entries, implementation: IMPLEMENTATION } }),
    await t.request('POST', `${route}/submit`, { as: people.counselor }),
    await t.request('POST', `${route}/approve`, { as: people.leader, body: {} }),
    await t.request('POST', `${route}/approve`, { as: people.officer, body: {} }),
  ];
  const failed = steps.find((s) => s.status >= 300);
  if (failed) throw new Error(`plan: ${failed.status} ${JSON.stringify(failed.body)}`);
  return new Map(steps[3]!.body.approved.entries.map((e: { studentNo: string; id: string }) => [e.studentNo, e.id]));
}

/** Starts the report of an approved entry, saves `body` on it and submits it; answers the submitted report. */
export async function submitReport(t: TestService, campaign: string, entryId: string, as: Credentials, body: Record<string, unknown>) {
  const started = await t.request('POST', '/api/visit-reports', { as, body: { campaign, college: 'A', entryId } });
  if (started.status >= 300) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
  const saved = await t.request('PATCH', `/api/visit-reports/${started.body.id}`, { as, body });
  if (saved.status !== 200) throw new Error(`save: ${saved.status} ${JSON.stringify(saved.body)}`);
  const submitted = await t.request('POST', `/api/visit-reports/${started.body.id}/submit`, { as });
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  return submitted.body as { id: string; version: number; revision: number; state: string };
}
