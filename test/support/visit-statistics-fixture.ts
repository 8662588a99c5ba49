import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { seedArchives, seededNumber as no } from './seed-archives';
import type { Credentials, TestService } from './test-service';
import { openCampaign } from './visit-campaign';

/**
 * A campaign whose visits of college A are known by hand (D10): every mode, kind and several target
 * groups, a group visit with three visitors, a school-leader visit (the campaign does not count those
 * towards coverage), two unplanned visits, a student visited twice (unplanned, then from an amended
 * plan), a submitted report being amended (still a visit), a draft (not a visit), a planned visit with no
 * report; college B has one visit. Reports are made through the API as visitors make them; no evidence
 * is asked (the campaign's rule is 0 photos), since the statistics count visits, not photos.
 */

const TODAY = DateTime.now().setZone('Asia/Shanghai').startOf('day');
const day = (offset: number) => TODAY.plus({ days: offset }).toISODate()!;
const IMPLEMENTATION = { organization: '学院统一部署', schedule: '分批开展', safety: '结伴出行，保持通讯畅通' };
export const REPORT_CONTENT = {
  visitedOn: day(0),
  place: '学生家中',
  metWith: '张父（父亲）',
  orientations: ['policy', 'study'],
  account: '与家长交流学生在校表现和假期安排。',
  reflections: '家校沟通让我们更了解学生的成长环境。',
  parentOpinion: '希望学校多关注孩子的学业。',
  graduateDevelopment: '在本地从事会计工作',
};

export interface StatisticsFixture {
  campaign: string;
  A: Types.ObjectId;
  B: Types.ObjectId;
  officer: Credentials;
  principal: Credentials;
  leaderA: Credentials;
  counselorA: Credentials;
  counselorB: Credentials;
  teacherA: Credentials;
}

async function ok(t: TestService, method: string, route: string, as: Credentials, body?: unknown, headers: Record<string, string> = {}) {
  const response = await t.request(method, route, { as, body, headers });
  if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

type Entry = { student: string; mode: string; kind: string; targetType?: string; visitors: Array<{ user: string }> };
const entry = (i: number, mode: string, kind: string, visitors: Credentials[], targetType = 'current'): Entry => ({ student: no('A', i), mode, kind, targetType, visitors: visitors.map((v) => ({ user: v.username })) });

export async function visitStatisticsFixture(t: TestService): Promise<StatisticsFixture> {
  const A = await t.college('A', '信息工程学院');
  const B = await t.college('B', '经济管理学院');
  const officer = await t.staff('studentAffairs');
  const principal = await t.staff('schoolLeader');
  const leaderA = await t.staff('collegeLeader', A);
  const leaderB = await t.staff('collegeLeader', B);
  const counselorA = await t.staff('counselor', A);
  const counselorB = await t.staff('counselor', B);
  const mentorA = await t.staff('academicMentor', A);
  const growthA = await t.staff('growthMentor', A);
  const teacherA = await t.staff('teacher', A);
  // 300 students in A (3 visits needed at 1%): grade 2023 for every third, else 2024; 会计 for even numbers, else 软件技术.
  await seedArchives(A, 'A', 300, (i) => ({ counselor: counselorA.userId, major: i % 2 ? '软件技术' : '会计', grade: i % 3 ? '2024' : '2023' }));
  await seedArchives(B, 'B', 100, () => ({ counselor: counselorB.userId }));
  const campaign = await openCampaign(t, officer, ['A', 'B'], {
    visitStartsOn: day(-10), visitEndsOn: day(30), planDueAt: `${day(5)} 12:00`, leaderVisitsCount: false, evidence: { onsite: 0, video: 0, phone: 0 },
  });

  const planRoute = (college: string) => `/api/visit-campaigns/${campaign}/plans/${college}`;
  const approve = async (college: string, by: Credentials, leader: Credentials) => {
    await ok(t, 'POST', `${planRoute(college)}/submit`, by);
    await ok(t, 'POST', `${planRoute(college)}/approve`, leader, {});
    const done = await ok(t, 'POST', `${planRoute(college)}/approve`, officer, {});
    return new Map<string, string>(done.approved.entries.map((e: { studentNo: string; id: string }) => [e.studentNo, e.id]));
  };
  const report = async (as: Credentials, body: Record<string, unknown>, submit = true) => {
    const started = await ok(t, 'POST', '/api/visit-reports', as, { campaign, ...body });
    await ok(t, 'PATCH', `/api/visit-reports/${started.id}`, as, REPORT_CONTENT);
    return submit ? ok(t, 'POST', `/api/visit-reports/${started.id}/submit`, as) : started;
  };

  const entriesA = [
    entry(0, 'onsite', 'general', [counselorA, mentorA, growthA]), // a group visit of three
    entry(1, 'video', 'followUp', [counselorA], 'hardship'),
    entry(2, 'phone', 'scheduled', [counselorA]),
    entry(3, 'onsite', 'general', [principal, counselorA]), // a school-leader visit
    entry(4, 'onsite', 'general', [counselorA], 'graduate'),
    entry(5, 'onsite', 'general', [counselorA]), // a draft only
    entry(6, 'video', 'general', [counselorA]), // no report at all
  ];
  await ok(t, 'PUT', planRoute('A'), counselorA, { entries: entriesA, implementation: IMPLEMENTATION });
  let approved = await approve('A', counselorA, leaderA);
  for (const i of [0, 1, 2, 3, 4]) await report(counselorA, { college: 'A', entryId: approved.get(no('A', i)) });
  await report(counselorA, { college: 'A', entryId: approved.get(no('A', 5)) }, false);
  // A submitted report being amended is the draft of version 2: still one visit.
  const amending = await t.request('GET', `/api/visit-reports?campaign=${campaign}&college=A&limit=50`, { as: counselorA });
  const first = amending.body.items.find((r: { student: { studentNo: string } }) => r.student.studentNo === no('A', 1));
  await ok(t, 'PATCH', `/api/visit-reports/${first.id}`, counselorA, { reflections: '补充体会' });

  // Unplanned: A150 by a teacher on the phone; A7 by the counselor over video, who is then added to the plan and visited again.
  await report(teacherA, { student: no('A', 150), reason: '家长来电，临时电话家访', mode: 'phone' });
  await report(counselorA, { student: no('A', 7), reason: '学生返乡后情绪波动', mode: 'video', kind: 'followUp' });
  const plan = await ok(t, 'GET', planRoute('A'), counselorA);
  const kept = plan.entries.map((e: Entry & { id: string; visitors: Array<{ user: string }> }) => ({ id: e.id, student: e.student, mode: e.mode, kind: e.kind, targetType: e.targetType, visitors: e.visitors.map((v) => ({ user: v.user })) }));
  await ok(t, 'PUT', planRoute('A'), counselorA, { entries: [...kept, entry(7, 'onsite', 'general', [counselorA])] }, { 'If-Match': `"${plan.revision}"` });
  approved = await approve('A', counselorA, leaderA);
  await report(counselorA, { college: 'A', entryId: approved.get(no('A', 7)) });

  await ok(t, 'PUT', planRoute('B'), counselorB, { entries: [{ student: no('B', 0), mode: 'onsite', kind: 'general', visitors: [{ user: counselorB.username }] }], implementation: IMPLEMENTATION });
  const approvedB = await approve('B', counselorB, leaderB);
  await report(counselorB, { college: 'B', entryId: approvedB.get(no('B', 0)) });

  return { campaign, A, B, officer, principal, leaderA, counselorA, counselorB, teacherA };
}
