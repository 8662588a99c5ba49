import type { Credentials, TestService } from './test-service';
import { seedArchives, seededNumber } from './seed-archives';
import { day, planEntry, png, reportContent, visitFixtures } from './visit-fixtures';

/**
 * A typical case (D9) over the real API: a campaign whose visits have begun, the college's approved plan
 * with one phone visit of `studentNo`, its report submitted with one photo, and a case of that student
 * drawn on it with the photo as its picture. For the page tests.
 */
export async function typicalCaseFixture(t: TestService, who: { officer: Credentials; leader: Credentials; counselor: Credentials }, college: string, studentNo: string, title = '从沉默到自信') {
  const fixtures = visitFixtures(t, who);
  const campaign = await fixtures.campaign([college], -10, 30, { evidence: { onsite: 4, video: 2, phone: 0 } });
  const entries = await fixtures.approvedPlan(campaign, college, [planEntry(studentNo, 'phone', [who.counselor])]);
  const photo = await fixtures.upload(who.counselor, png(3), 'photo.png');
  const draft = await fixtures.draft(campaign, college, entries.get(studentNo)!.id, { ...reportContent(day(-1)), followUp: { needed: true, needs: '开学后安排学业辅导' }, photos: [photo] });
  const submitted = await t.request('POST', `/api/visit-reports/${draft.id}/submit`, { as: who.counselor });
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  const created = await t.request('POST', '/api/typical-cases', { as: who.counselor, body: { student: studentNo, reports: [draft.id], title, before: '入学时沉默寡言。', after: '家访后主动参加社团。', pictures: [photo] } });
  if (created.status !== 201) throw new Error(`case: ${created.status} ${JSON.stringify(created.body)}`);
  return { campaign, report: draft.id, caseId: created.body.id as string };
}

/** A college `A` with its student affairs, leader and counselor, three archives, and a typical case of its first student. */
export async function schoolWithTypicalCase(t: TestService): Promise<{ counselor: Credentials; campaign: string; caseId: string }> {
  const A = await t.college('A');
  const officer = await t.staff('studentAffairs');
  const leader = await t.staff('collegeLeader', A);
  const counselor = await t.staff('counselor', A);
  await seedArchives(A, 'A', 3, () => ({ counselor: counselor.userId }));
  const { campaign, caseId } = await typicalCaseFixture(t, { officer, leader, counselor }, 'A', seededNumber('A', 0));
  return { counselor, campaign, caseId };
}
