import mongoose from 'mongoose';
import { pdfText } from '../support/pdf-text';
import { seedArchives, seededNumber as no } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { day, jpeg, planEntry, png, reportContent, visitFixtures } from '../support/visit-fixtures';

/**
 * D6–D7, 附件3: a visit report printed as a PDF with its photos, named after the student as in the
 * materials package; what the reader may not see is left out, and the sensitive read is audited.
 */

let t: TestService;
let counselorA: Credentials;
let teacherA: Credentials;
let counselorB: Credentials;
let reportId: string;

const print = (as: Credentials) => fetch(`${t.url}/api/visit-reports/${encodeURIComponent(reportId)}/print.pdf`, { headers: { Cookie: as.cookie! } });

beforeAll(async () => {
  t = await startTestService();
  const A = await t.college('A', '信息工程学院');
  const B = await t.college('B');
  const officer = await t.staff('studentAffairs');
  const leaderA = await t.staff('collegeLeader', A);
  counselorA = await t.staff('counselor', A);
  teacherA = await t.staff('teacher', A);
  counselorB = await t.staff('counselor', B);
  await seedArchives(A, 'A', 100, () => ({ counselor: counselorA.userId }));
  const fixtures = visitFixtures(t, { officer, leader: leaderA, counselor: counselorA });
  const campaign = await fixtures.campaign(['A', 'B'], -10, 30);
  const entries = await fixtures.approvedPlan(campaign, 'A', [planEntry(no('A', 0), 'onsite', [counselorA, teacherA])]);
  const photos = [await fixtures.upload(counselorA, png(1), 'a.png'), await fixtures.upload(counselorA, png(2), 'b.png'), await fixtures.upload(counselorA, png(3), 'c.png'), await fixtures.upload(counselorA, jpeg(), 'd.jpg')];
  const draft = await fixtures.draft(campaign, 'A', entries.get(no('A', 0))!.id, {
    ...reportContent(day(-1)),
    psychologicalState: '近期因家中变故情绪低落',
    familyFinances: '父亲务工收入不稳定',
    photos,
  });
  reportId = draft.id;
  const submitted = await t.request('POST', `/api/visit-reports/${reportId}/submit`, { as: counselorA });
  expect(submitted.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('the visit report as a PDF (附件3, D6–D7)', () => {
  it('prints the facts, every part of the content and the photos named after the student', async () => {
    const response = await print(counselorA);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(decodeURIComponent(response.headers.get('content-disposition') ?? '')).toContain(`家访工作报告-${no('A', 0)}-`);
    const { title, pages } = await pdfText(Buffer.from(await response.arrayBuffer()));
    const text = pages.join('\n').replace(/\s+/g, '');
    expect(title).toMatch(new RegExp(`^家访工作报告-${no('A', 0)}-`));
    for (const words of ['家访工作报告', '寒假家访·第1版', no('A', 0), '信息工程学院', '实地家访', '家访实录（实事求是）', '辅导员到学生家中，与父亲交流学生在校表现和假期安排。', '心得体会', '家长意见和建议', '政策宣传、学业辅导、成长向导', '近期因家中变故情绪低落', '父亲务工收入不稳定', '家访照片（4张）']) {
      expect(text).toContain(words.replace(/\s+/g, ''));
    }
    for (const i of [1, 2, 3]) expect(text).toMatch(new RegExp(`${no('A', 0)}-[^-]+-家访-${i}\\.png`));
    expect(text).not.toMatch(/\.png（无法/);
    // Random bytes behind a JPEG head are kept as evidence but cannot be drawn: named, not shown.
    expect(text).toMatch(new RegExp(`${no('A', 0)}-[^-]+-家访-4\\.jpg（无法在PDF中显示）`));
  });

  it('leaves the sensitive parts out for a visitor outside the sensitive scope, and audits those who read them', async () => {
    const response = await print(teacherA);
    expect(response.status).toBe(200);
    const text = (await pdfText(Buffer.from(await response.arrayBuffer()))).pages.join('\n').replace(/\s+/g, '');
    expect(text).not.toContain('近期因家中变故情绪低落');
    expect(text).not.toContain('父亲务工收入不稳定');
    expect(text).toContain('（涉及个人敏感信息，按权限不予显示）');
    const audit = await mongoose.connection.collection('auditentries').find({ action: 'read-sensitive', resourceType: 'visitReport', resourceId: reportId }).toArray();
    expect(audit.map((a) => a.actor.username)).toContain(counselorA.username);
    expect(audit.map((a) => a.actor.username)).not.toContain(teacherA.username);
  });

  it('answers 404 to a reader outside the report’s college', async () => {
    expect((await print(counselorB)).status).toBe(404);
  });
});
