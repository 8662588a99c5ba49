import { DateTime } from 'luxon';
import { pdfText } from '../support/pdf-text';
import { seedArchives, seededNumber as no } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { day, planEntry, png, reportContent, visitFixtures } from '../support/visit-fixtures';

/**
 * D9 typical cases (典型案例) over real HTTP on the real database: one student's growth drawn on their
 * submitted visit reports, pictures only from those reports, revision-checked edits, and publicity only
 * within a consent in force — recorded, scoped by channel, withdrawable, never deleted.
 */

let t: TestService;
let officer: Credentials;
let counselorA: Credentials;
let leaderA: Credentials;
let teacherA: Credentials;
let counselorB: Credentials;
let fixtures: ReturnType<typeof visitFixtures>;
let campaign: string;
/** Submitted reports by student index, with their photos. */
const reports = new Map<number, { id: string; photos: string[] }>();
let draftReport: string;
const firstPhoto = png(21);
const SEALED = '近期焦虑失眠，正在心理咨询';

const createCase = (body: Record<string, unknown>, as: Credentials = counselorA) => t.request('POST', '/api/typical-cases', { as, body });
const publicity = (id: string, channel: string, as: Credentials = counselorA) => fetch(`${t.url}/api/typical-cases/${id}/publicity.pdf?channel=${channel}`, { headers: { Cookie: as.cookie! } });
const consent = (id: string, body: Record<string, unknown>, as: Credentials = counselorA) => t.request('POST', `/api/typical-cases/${id}/consents`, { as, body });

beforeAll(async () => {
  t = await startTestService();
  const A = await t.college('A');
  const B = await t.college('B');
  officer = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', A);
  counselorA = await t.staff('counselor', A);
  teacherA = await t.staff('teacher', A);
  counselorB = await t.staff('counselor', B);
  // Student A2 is 16: a minor, whose publicity needs the guardian's consent too.
  const minorBirth = DateTime.now().minus({ years: 16 }).startOf('day').toJSDate();
  await seedArchives(A, 'A', 20, (i) => ({ counselor: counselorA.userId, ...(i === 2 ? { birthDate: minorBirth } : {}) }));
  await seedArchives(B, 'B', 5);
  fixtures = visitFixtures(t, { officer, leader: leaderA, counselor: counselorA });
  campaign = await fixtures.campaign(['A', 'B'], -10, 30);
  const entries = await fixtures.approvedPlan(campaign, 'A', [0, 1, 2, 3].map((i) => planEntry(no('A', i), 'onsite', [counselorA])));
  for (const i of [0, 1, 2]) {
    const photos = [await fixtures.upload(counselorA, i === 0 ? firstPhoto : png(30 + i)), ...(await Promise.all([1, 2, 3].map((n) => fixtures.upload(counselorA, png(40 + i * 5 + n)))))];
    const draft = await fixtures.draft(campaign, 'A', entries.get(no('A', i))!.id, { ...reportContent(day(-1)), psychologicalState: SEALED, photos });
    expect((await t.request('POST', `/api/visit-reports/${draft.id}/submit`, { as: counselorA })).status).toBe(200);
    reports.set(i, { id: draft.id, photos });
  }
  draftReport = (await fixtures.draft(campaign, 'A', entries.get(no('A', 3))!.id, { place: '学生家中' })).id;
}, 180_000);
afterAll(async () => {
  await t.stop();
});

describe('typical cases (D9)', () => {
  it('D9: a case draws on one student’s submitted reports, with pictures chosen only from those reports’ photos', async () => {
    const own = reports.get(0)!;
    const otherStudent = reports.get(1)!;
    const foreignPicture = await createCase({ student: no('A', 0), reports: [own.id], title: '从沉默到自信', pictures: [own.photos[0], otherStudent.photos[0]] });
    expect(foreignPicture.status).toBe(400);
    expect(foreignPicture.body.details).toEqual([expect.objectContaining({ path: 'pictures[1]', rule: 'reportPhoto' })]);
    const foreignReport = await createCase({ student: no('A', 0), reports: [own.id, otherStudent.id], title: '从沉默到自信' });
    expect(foreignReport.status).toBe(400);
    expect(foreignReport.body.details).toEqual([expect.objectContaining({ path: 'reports[1]', rule: 'sameStudent' })]);
    const unsubmitted = await createCase({ student: no('A', 3), reports: [draftReport], title: '草稿' });
    expect(unsubmitted.status).toBe(400);
    expect(unsubmitted.body.details[0]).toMatchObject({ path: 'reports[0]', rule: 'submitted' });

    const created = await createCase({ student: no('A', 0), reports: [own.id], title: '从沉默到自信', before: '入学时沉默寡言，成绩中等。', after: '家访后主动参加社团，获得奖学金。', pictures: own.photos.slice(0, 2) });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ title: '从沉默到自信', student: { studentNo: no('A', 0) }, afterGraduation: '', consent: { channels: [], badge: { zh: '仅限内部' } } });
    expect(created.body.reports).toEqual([expect.objectContaining({ id: own.id, campaign: expect.objectContaining({ id: campaign }), visitedOn: day(-1) })]);
    // Sensitive report parts never flow into a case.
    expect(JSON.stringify(created.body)).not.toContain(SEALED);

    const picture = await fetch(`${t.url}${created.body.pictures[0].url}`, { headers: { Cookie: teacherA.cookie! } });
    expect(picture.status).toBe(200);
    expect(Buffer.from(await picture.arrayBuffer()).equals(firstPhoto)).toBe(true);
    const notItsPicture = await fetch(`${t.url}/api/typical-cases/${created.body.id}/pictures/${own.photos[3]}`, { headers: { Cookie: counselorA.cookie! } });
    expect(notItsPicture.status).toBe(404);

    const swapped = await t.request('PATCH', `/api/typical-cases/${created.body.id}`, { as: counselorA, body: { pictures: [otherStudent.photos[1]] } });
    expect(swapped.status).toBe(400);
    expect(swapped.body.details[0]).toMatchObject({ path: 'pictures[0]', rule: 'reportPhoto' });
  });

  it('D9: publicity is refused without consent, for a channel the consent does not cover and after withdrawal; granted for the consented channel', async () => {
    const own = reports.get(1)!;
    const created = await createCase({ student: no('A', 1), reports: [own.id], title: '逆境中的成长', before: '家庭困难，一度想退学。', after: '获得国家助学金后安心学习。', pictures: [own.photos[0]] });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const none = await publicity(id, 'wechat');
    expect(none.status).toBe(409);
    const noneProblem = (await none.json()) as { code: string; messageZh: string; message: string };
    expect(noneProblem.code).toBe('CONSENT_REQUIRED');
    expect(noneProblem.messageZh).toContain('微信推文');
    expect(noneProblem.message).toContain('wechat');

    const internal = await consent(id, { channels: ['internal'], student: true });
    expect(internal.status).toBe(200);
    expect(internal.body.consent).toMatchObject({ channels: ['internal'], badge: { zh: '仅限内部' } });
    expect((await publicity(id, 'wechat')).status).toBe(409);
    expect((await publicity(id, 'website')).status).toBe(409);
    expect((await publicity(id, 'internal')).status).toBe(200);

    const wechat = await consent(id, { channels: ['wechat'], student: true, note: '学生签字同意推文宣传' });
    expect(wechat.status).toBe(200);
    expect(wechat.body.consent.badge.zh).toBe('可推文');
    expect(wechat.body.consent.history).toHaveLength(2);
    const granted = await publicity(id, 'wechat', teacherA);
    expect(granted.status).toBe(200);
    expect(granted.headers.get('content-type')).toBe('application/pdf');
    const { title, pages } = await pdfText(Buffer.from(await granted.arrayBuffer()));
    const text = pages.join('\n').replace(/\s+/g, '');
    expect(title).toBe('典型案例-逆境中的成长');
    for (const expected of ['逆境中的成长', '微信推文宣传稿', '家庭困难，一度想退学。', '获得国家助学金后安心学习。', '经学生本人同意发布']) expect(text).toContain(expected);
    expect(text).not.toContain(SEALED.replace(/\s+/g, ''));
    expect((await publicity(id, 'website')).status).toBe(409);

    const withdrawn = await t.request('POST', `/api/typical-cases/${id}/consents/withdraw`, { as: counselorA, body: { reason: '学生要求撤回' } });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.consent).toMatchObject({ channels: [], badge: { zh: '仅限内部' } });
    // Recorded, never deleted.
    expect(withdrawn.body.consent.history).toHaveLength(2);
    expect(withdrawn.body.consent.history.every((k: { withdrawn: { reason: string } | null }) => k.withdrawn?.reason === '学生要求撤回')).toBe(true);
    const after = await publicity(id, 'wechat');
    expect(after.status).toBe(409);
    expect(((await after.json()) as { messageZh: string }).messageZh).toContain('撤回');
    expect((await publicity(id, 'internal')).status).toBe(409);
  });

  it('D9: the guardian consents too when the student is a minor or the family appears; the signed form is kept', async () => {
    const minor = await createCase({ student: no('A', 2), reports: [reports.get(2)!.id], title: '小小志愿者' });
    expect(minor.status).toBe(201);
    const studentOnly = await consent(minor.body.id, { channels: ['wechat'], student: true });
    expect(studentOnly.status).toBe(400);
    expect(studentOnly.body.details[0]).toMatchObject({ path: 'guardian', rule: 'required' });
    expect(studentOnly.body.details[0].message).toContain('未满 18 周岁');
    const form = await fixtures.upload(counselorA, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(64, 32)]), '同意书.pdf');
    const withGuardian = await consent(minor.body.id, { channels: ['wechat', 'website'], student: true, guardian: { name: '王母', relation: '母亲' }, evidence: form });
    expect(withGuardian.status).toBe(200);
    expect(withGuardian.body.consent.badge.zh).toBe('可推文 · 可官网');
    expect(withGuardian.body.consent.history[0]).toMatchObject({ guardian: { name: '王母', relation: '母亲' }, guardianNeeded: ['minor'], evidence: form });
    const pdf = await publicity(minor.body.id, 'website');
    expect(pdf.status).toBe(200);
    expect((await pdfText(Buffer.from(await pdf.arrayBuffer()))).pages.join('').replace(/\s+/g, '')).toContain('经学生本人及监护人同意发布');

    const adult = await createCase({ student: no('A', 0), reports: [reports.get(0)!.id], title: '一家人的改变' });
    const family = await consent(adult.body.id, { channels: ['website'], student: true, familyAppears: true });
    expect(family.status).toBe(400);
    expect(family.body.details[0].message).toContain('家庭成员');
    expect((await consent(adult.body.id, { channels: ['website'], student: true })).status).toBe(200);
  });

  it('D9: parallel edits from one revision: exactly one lands, the others are answered 409; after graduation is added later', async () => {
    const created = await createCase({ student: no('A', 0), reports: [reports.get(0)!.id], title: '并发编辑' });
    const id = created.body.id as string;
    const results = await Promise.all(
      ['毕业后考取研究生', '毕业后回乡创业', '毕业后参军入伍', '毕业后成为教师'].map((afterGraduation) => t.request('PATCH', `/api/typical-cases/${id}`, { as: counselorA, body: { afterGraduation }, headers: { 'If-Match': '"1"' } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const stored = await t.request('GET', `/api/typical-cases/${id}`, { as: counselorA });
    expect(stored.body.revision).toBe(2);
    expect(stored.body.afterGraduation).toBe(winner.body.afterGraduation);
    expect(results.find((r) => r.status === 409)!.body.code).toBe('REVISION_CONFLICT');
    const stale = await t.request('PATCH', `/api/typical-cases/${id}`, { as: counselorA, body: { title: '旧版本' }, headers: { 'If-Match': '"1"' } });
    expect(stale.status).toBe(409);
  });

  it('D9: read within the college and by student affairs; another college 404; only the college’s counselors and leaders write', async () => {
    const created = await createCase({ student: no('A', 1), reports: [reports.get(1)!.id], title: '范围检查' });
    const id = created.body.id as string;
    expect((await t.request('GET', `/api/typical-cases/${id}`, { as: counselorB })).status).toBe(404);
    expect((await t.request('PATCH', `/api/typical-cases/${id}`, { as: counselorB, body: { title: '改' } })).status).toBe(404);
    expect((await publicity(id, 'internal', counselorB)).status).toBe(404);
    expect((await createCase({ student: no('A', 1), reports: [reports.get(1)!.id], title: '跨院' }, counselorB)).status).toBe(404);
    expect((await t.request('GET', `/api/typical-cases/${id}`, { as: teacherA })).status).toBe(200);
    expect((await t.request('PATCH', `/api/typical-cases/${id}`, { as: teacherA, body: { title: '改' } })).status).toBe(403);
    expect((await consent(id, { channels: ['wechat'], student: true }, teacherA)).status).toBe(403);
    expect((await t.request('PATCH', `/api/typical-cases/${id}`, { as: leaderA, body: { title: '范围检查（修订）' } })).status).toBe(200);
    expect((await t.request('GET', `/api/typical-cases/${id}`, { as: officer })).status).toBe(200);

    const byCampaign = await t.request('GET', `/api/typical-cases?campaign=${campaign}&limit=200`, { as: officer });
    expect(byCampaign.status).toBe(200);
    expect(byCampaign.body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await t.request('GET', `/api/typical-cases?college=B`, { as: officer })).body.items).toEqual([]);
    expect((await t.request('GET', `/api/typical-cases?college=A`, { as: counselorB })).body.items).toEqual([]);
    const limited = await t.request('GET', `/api/typical-cases?college=A&limit=2`, { as: counselorA });
    expect(limited.body.items).toHaveLength(2);
    expect(limited.body.truncated).toBe(true);
  });
});
