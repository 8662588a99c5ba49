import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import mongoose, { type Types } from 'mongoose';
import { startRecordingServer } from '../support/recording-server';
import { seedArchives, seededNumber as no } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * Visit reports (issue #13, D6–D8) over real HTTP on the real database: a report only for an approved
 * plan entry (or unplanned, with a reason), prefilled from the records; the campaign's evidence rule per
 * mode at submission; drafts, versions, one submitted version under parallel submissions; the family
 * contact recorded once; who writes and who reads; the sensitive parts sealed.
 */

let t: TestService;
let A: Types.ObjectId;
let officer: Credentials;
let leaderA: Credentials;
let counselorA: Credentials;
let counselorA2: Credentials;
let counselorB: Credentials;
let teacherA: Credentials;
let teacherA2: Credentials;
let principal: Credentials;

const TODAY = DateTime.now().setZone('Asia/Shanghai').startOf('day');
const day = (offset: number) => TODAY.plus({ days: offset }).toISODate()!;
const IMPLEMENTATION = { organization: '学院统一部署', schedule: '分批开展', safety: '结伴出行，保持通讯畅通' };

/** Real file heads (what content-type.ts sniffs) followed by random bytes, so that every call differs. */
const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(200)]);

async function upload(as: Credentials, content: Buffer = jpeg(), name = 'IMG.jpg'): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), name);
  const response = await fetch(`${t.url}/api/files`, { method: 'POST', headers: { Cookie: as.cookie! }, body: form });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const photos = (count: number, as: Credentials) => Promise.all(Array.from({ length: count }, () => upload(as)));

/** Everything a submitted report must say, for a current student. */
const CONTENT = {
  visitedOn: day(0),
  place: '学生家中',
  metWith: '张父（父亲）',
  orientations: ['policy', 'study', 'growth'],
  familyState: '父母务农，家中四口人',
  emotionalState: '情绪稳定',
  studyState: '学习认真，高数偏弱',
  personality: '内向、踏实',
  safetyEducation: ['travel', 'internet'],
  aidPolicies: ['grant', 'loan'],
  account: '辅导员与学业导师到学生家中，与父亲交流学生在校表现和假期安排。',
  reflections: '家校沟通让我们更了解学生的成长环境。',
  parentOpinion: '希望学校多关注孩子的学业。',
  followUp: { needed: true, needs: '开学后安排高数辅导' },
};

async function campaign(evidence?: Record<string, number>): Promise<string> {
  const created = await t.request('POST', '/api/visit-campaigns', {
    as: officer,
    body: { title: '寒假家访', break: 'winter', visitStartsOn: day(-10), visitEndsOn: day(30), planDueAt: `${day(5)} 12:00`, colleges: ['A', 'B'], ...(evidence ? { evidence } : {}) },
  });
  expect(created.status).toBe(201);
  expect((await t.request('POST', `/api/visit-campaigns/${created.body.id}/open`, { as: officer })).status).toBe(200);
  return created.body.id as string;
}

const planRoute = (campaignId: string, tail = '') => `/api/visit-campaigns/${campaignId}/plans/A${tail}`;

/** Files, submits and approves college A's plan; answers the approved entries by student number. */
async function approvedPlan(campaignId: string, entries: unknown[]): Promise<Map<string, { id: string }>> {
  const filed = await t.request('PUT', planRoute(campaignId), { as: counselorA, body: { entries, implementation: IMPLEMENTATION } });
  expect(filed.status).toBe(201);
  expect((await t.request('POST', planRoute(campaignId, '/submit'), { as: counselorA })).status).toBe(200);
  expect((await t.request('POST', planRoute(campaignId, '/approve'), { as: leaderA, body: {} })).status).toBe(200);
  const done = await t.request('POST', planRoute(campaignId, '/approve'), { as: officer, body: {} });
  expect(done.body.state).toBe('approved');
  return new Map(done.body.approved.entries.map((e: { studentNo: string; id: string }) => [e.studentNo, e]));
}

const entry = (student: string, mode: string, visitors: Credentials[], extra: Record<string, unknown> = {}) => ({ student, mode, kind: 'general', visitors: visitors.map((v) => ({ user: v.username })), ...extra });

async function start(campaignId: string, entryId: string, as: Credentials = counselorA) {
  return t.request('POST', '/api/visit-reports', { as, body: { campaign: campaignId, college: 'A', entryId } });
}

const report = (id: string, tail = '') => `/api/visit-reports/${id}${tail}`;
const patch = (id: string, body: unknown, as: Credentials = counselorA, headers: Record<string, string> = {}) => t.request('PATCH', report(id), { as, body, headers });
const submit = (id: string, as: Credentials = counselorA, headers: Record<string, string> = {}) => t.request('POST', report(id, '/submit'), { as, headers });
const messages = (body: { details: Array<{ message: string }> }) => body.details.map((d) => d.message);

let main: string;
let entries: Map<string, { id: string }>;

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A');
  const B = await t.college('B');
  officer = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', A);
  counselorA = await t.staff('counselor', A);
  counselorA2 = await t.staff('counselor', A);
  counselorB = await t.staff('counselor', B);
  teacherA = await t.staff('teacher', A);
  teacherA2 = await t.staff('teacher', A);
  principal = await t.staff('schoolLeader');
  // 300 archives of college A looked after by counselorA (3 visits needed at 1%), 50 of college B.
  await seedArchives(A, 'A', 300, (i) => ({ counselor: counselorA.userId, major: i % 2 ? '软件技术' : '会计', grade: i % 3 ? '2024' : '2023' }));
  await seedArchives(B, 'B', 50);
  main = await campaign();
  entries = await approvedPlan(main, [
    entry(no('A', 0), 'onsite', [counselorA, teacherA]),
    entry(no('A', 1), 'video', [counselorA]),
    entry(no('A', 2), 'phone', [teacherA]),
    entry(no('A', 3), 'onsite', [counselorA], { targetType: 'graduate' }),
    entry(no('A', 4), 'onsite', [counselorA], { targetType: 'loanOverdue' }),
    entry(no('A', 5), 'onsite', [counselorA]),
    entry(no('A', 6), 'onsite', [counselorA]),
    entry(no('A', 7), 'onsite', [teacherA]),
  ]);
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('starting a report (D6)', () => {
  it('only for an entry of the approved plan, prefilled from it; a second start answers the same report', async () => {
    const created = await start(main, entries.get(no('A', 0))!.id);
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({
      id: `${main}:${String(A)}:${entries.get(no('A', 0))!.id}`,
      college: { code: 'A' }, unplanned: false, state: 'draft', version: 0, revision: 1, mode: 'onsite', modeZh: '实地家访', kind: 'general', targetType: 'current',
      student: { studentNo: no('A', 0), name: '学生A0', grade: '2023', major: '会计', className: '会计1班' },
      evidenceRequired: { mode: 'onsite', photos: 4 },
    });
    expect(created.body.visitors.map((v: { name: string; role: string }) => [v.name, v.role])).toEqual([[counselorA.username, 'counselor'], [teacherA.username, 'other']]);
    const again = await start(main, entries.get(no('A', 0))!.id, teacherA);
    expect([again.status, again.body.id]).toEqual([200, created.body.id]);

    // Not an entry of the approved plan: an unknown id, and a visit added by an amendment not yet approved.
    const unknown = await start(main, 'f'.repeat(24));
    expect([unknown.status, unknown.body.code, unknown.body.details[0].path]).toEqual([409, 'ENTRY_NOT_APPROVED', 'entryId']);
    const plan = (await t.request('GET', planRoute(main), { as: counselorA })).body;
    const amended = await t.request('PUT', planRoute(main), { as: counselorA, headers: { 'If-Match': `"${plan.revision}"` }, body: { entries: [...plan.entries.map((e: { id: string; student: string; mode: string; kind: string; targetType: string; visitors: Array<{ user: string }> }) => ({ id: e.id, student: e.student, mode: e.mode, kind: e.kind, targetType: e.targetType, visitors: e.visitors.map((v) => ({ user: v.user })) })), entry(no('A', 9), 'onsite', [counselorA])] } });
    expect(amended.status).toBe(200);
    const pending = amended.body.entries.find((e: { studentNo: string }) => e.studentNo === no('A', 9));
    expect(pending.approval).toBe('pending');
    const refused = await start(main, pending.id);
    expect([refused.status, refused.body.messageZh]).toEqual([409, '只能为已批准的家访计划中的条目填写报告：该条目不在（或已不在）批准的计划中']);
  });

  it('starts once under parallel requests: one 201, the others the same report', async () => {
    const id = entries.get(no('A', 5))!.id;
    const answers = await Promise.all([counselorA, counselorA2, leaderA, counselorA, counselorA2].map((who) => start(main, id, who)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await mongoose.connection.collection('visitreports').countDocuments({ _id: answers[0]!.body.id } as never)).toBe(1);
  });

  it('an unplanned visit needs a reason and its mode, and is refused for a planned student', async () => {
    const bare = await t.request('POST', '/api/visit-reports', { as: teacherA, body: { campaign: main, student: no('A', 150) } });
    expect(bare.status).toBe(400);
    expect(bare.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['mode', 'reason']);
    expect(bare.body.details.find((d: { path: string }) => d.path === 'reason').message).toBe('计划外家访须填写原因');
    const blank = await t.request('POST', '/api/visit-reports', { as: teacherA, body: { campaign: main, student: no('A', 150), reason: '   ', mode: 'phone' } });
    expect(blank.body.details.map((d: { path: string }) => d.path)).toEqual(['reason']);

    const made = await t.request('POST', '/api/visit-reports', { as: teacherA, body: { campaign: main, student: no('A', 150), reason: '家长来电反映学生情绪低落，临时电话家访', mode: 'phone' } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ unplanned: true, entryId: null, reason: '家长来电反映学生情绪低落，临时电话家访', mode: 'phone', student: { studentNo: no('A', 150) } });
    expect(made.body.visitors).toEqual([{ user: String(teacherA.userId), name: teacherA.username, role: 'other', roleZh: '其他教职工' }]);

    const planned = await t.request('POST', '/api/visit-reports', { as: counselorA, body: { campaign: main, student: no('A', 1), reason: '补充', mode: 'phone' } });
    expect([planned.status, planned.body.code]).toEqual([409, 'PLANNED_VISIT']);
    expect((await t.request('POST', '/api/visit-reports', { as: counselorA, body: { campaign: main, student: no('B', 1), reason: '补充', mode: 'phone' } })).status).toBe(404);

    const mine = await t.request('GET', `/api/visit-reports/mine?campaign=${main}`, { as: teacherA });
    expect(mine.body.unplanned.map((r: { studentNo: string; report: { state: string } }) => [r.studentNo, r.report.state])).toEqual([[no('A', 150), 'draft']]);
  });
});

describe('who writes and reads (D6)', () => {
  it('visitors and the college’s counselors and leaders write; others of the college do not; other colleges see nothing', async () => {
    const id = (await start(main, entries.get(no('A', 6))!.id)).body.id as string;
    expect((await patch(id, { place: '家中' }, counselorA2)).status).toBe(200); // a counselor of the college
    expect((await patch(id, { place: '学生家中' }, leaderA)).status).toBe(200);
    expect((await t.request('GET', report(id), { as: teacherA2 })).status).toBe(404); // a teacher who was not a visitor
    expect((await patch(id, { place: '别处' }, teacherA2)).status).toBe(404);
    expect((await start(main, entries.get(no('A', 6))!.id, teacherA2)).status).toBe(403);
    expect((await t.request('GET', report(id), { as: counselorB })).status).toBe(404);
    expect((await patch(id, { place: '别处' }, counselorB)).status).toBe(404);
    expect((await t.request('GET', report(id), { as: officer })).status).toBe(200);
    expect((await patch(id, { place: '别处' }, officer)).status).toBe(403); // reads school-wide, but was not a visitor
    expect((await t.request('GET', report(id), { as: principal })).status).toBe(200);
    expect((await patch(id, { place: '别处' }, principal)).status).toBe(403);
    expect((await t.request('GET', report(id), { as: teacherA })).status).toBe(404); // visits A00000 and A00002, not this one

    const list = await t.request('GET', `/api/visit-reports?campaign=${main}&limit=100`, { as: counselorB });
    expect(list.body).toEqual({ items: [], total: 0 });
    const own = await t.request('GET', `/api/visit-reports?campaign=${main}&limit=100`, { as: teacherA });
    expect(own.body.items.map((r: { student: { studentNo: string } }) => r.student.studentNo).sort()).toEqual([no('A', 0), no('A', 150)]);
  });

  it('“my visits” lists the approved entries naming the caller with their report state', async () => {
    const mine = await t.request('GET', `/api/visit-reports/mine?campaign=${main}`, { as: teacherA });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: { studentNo: string; modeZh: string; report: { state: string } }) => [i.studentNo, i.modeZh, i.report.state])).toEqual([
      [no('A', 0), '实地家访', 'draft'],
      [no('A', 2), '电话家访', 'none'],
      [no('A', 7), '实地家访', 'none'],
    ]);
    expect(mine.body.counts).toMatchObject({ planned: 3, none: 2, draft: 1, submitted: 0 });
    expect((await t.request('GET', `/api/visit-reports/mine?campaign=${main}`, { as: counselorB })).body.items).toEqual([]);
  });
});

describe('evidence per the campaign’s rule (D7)', () => {
  it('refuses an on-site visit one photo short, with the numbers, and accepts it with enough', async () => {
    const id = (await start(main, entries.get(no('A', 0))!.id)).body.id as string;
    const three = await photos(3, counselorA);
    expect((await patch(id, { ...CONTENT, photos: three })).status).toBe(200);
    const short = await submit(id);
    expect(short.status).toBe(400);
    expect(short.body.details).toEqual([{ path: 'photos', message: '实地家访至少需要 4 张照片（有效 3 张）', messageEn: 'An on-site visit needs at least 4 distinct photos uploaded here (3 valid)', rule: 'photoCount' }]);
    expect((await t.request('GET', report(id), { as: counselorA })).body.state).toBe('draft');

    const fourth = await upload(teacherA); // the other visitor's photo
    expect((await patch(id, { photos: [...three, fourth] }, teacherA)).status).toBe(200);
    const done = await submit(id, teacherA);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'submitted', version: 1, photos: [...three, fourth] });
  });

  it('counts the same bytes once and asks an online video visit for 2 photos', async () => {
    const id = (await start(main, entries.get(no('A', 1))!.id)).body.id as string;
    const bytes = jpeg();
    const copies = [await upload(counselorA, bytes), await upload(counselorA, bytes)];
    await patch(id, { ...CONTENT, photos: copies });
    const refused = await submit(id);
    expect(refused.status).toBe(400);
    expect(messages(refused.body)).toEqual(['网络视频家访至少需要 2 张照片（有效 1 张）', '家访照片第 2 项（IMG.jpg）与第 1 项（IMG.jpg）是同一个文件，重复的只计一次']);
    await patch(id, { photos: [copies[0]!, await upload(counselorA)] });
    expect((await submit(id)).status).toBe(200);
  });

  it('follows another campaign’s own rule: 2 on-site photos suffice where it says so', async () => {
    const other = await campaign({ onsite: 2, video: 1, phone: 0 });
    const approved = await approvedPlan(other, [entry(no('A', 20), 'onsite', [counselorA]), entry(no('A', 21), 'onsite', [counselorA]), entry(no('A', 22), 'phone', [counselorA])]);
    const id = (await start(other, approved.get(no('A', 20))!.id)).body.id as string;
    expect((await t.request('GET', report(id), { as: counselorA })).body.evidenceRequired).toEqual({ mode: 'onsite', photos: 2 });
    await patch(id, { ...CONTENT, photos: await photos(1, counselorA) });
    expect(messages((await submit(id)).body)).toEqual(['实地家访至少需要 2 张照片（有效 1 张）']);
    await patch(id, { photos: await photos(2, counselorA) });
    expect((await submit(id)).status).toBe(200);
    const phone = (await start(other, approved.get(no('A', 22))!.id)).body.id as string;
    await patch(phone, CONTENT);
    expect((await submit(phone)).status).toBe(200);
  });

  it('refuses another person’s upload and an upload already evidence of another report', async () => {
    const id = (await start(main, entries.get(no('A', 3))!.id)).body.id as string;
    const theirs = await upload(counselorA2);
    const refused = await patch(id, { photos: [theirs] });
    expect([refused.status, refused.body.details[0].rule]).toEqual([400, 'fileOwner']);
    const used = (await t.request('GET', report(`${main}:${String(A)}:${entries.get(no('A', 0))!.id}`), { as: counselorA })).body.photos[0];
    expect((await patch(id, { photos: [used] })).status).toBe(400);
  });
});

describe('drafts, submission and versions (D6)', () => {
  it('saves drafts without checks, names every missing part at submission, asks what the target group needs', async () => {
    const id = (await start(main, entries.get(no('A', 4))!.id)).body.id as string;
    const draft = await patch(id, { place: '学生家中' }, counselorA, { 'If-Match': '"1"' });
    expect([draft.status, draft.body.revision, draft.body.state]).toEqual([200, 2, 'draft']);
    expect((await patch(id, { place: '另一处' }, counselorA, { 'If-Match': '"1"' })).body.code).toBe('REVISION_CONFLICT');
    // Two saves from one revision at once: one lands, the other is refused, nothing is overwritten unseen.
    const saves = await Promise.all(['甲处', '乙处', '丙处'].map((place) => patch(id, { place }, counselorA, { 'If-Match': '"2"' })));
    expect(saves.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const kept = saves.find((r) => r.status === 200)!.body;
    expect((await t.request('GET', report(id), { as: counselorA })).body).toMatchObject({ revision: 3, content: { place: kept.content.place } });
    const empty = await submit(id);
    expect(empty.status).toBe(400);
    expect(empty.body.details.map((d: { path: string }) => d.path)).toEqual(['visitedOn', 'metWith', 'orientations', 'account', 'reflections', 'parentOpinion', 'loan.repaymentIntention', 'loan.reminderGiven', 'photos']);
    await patch(id, { ...CONTENT, visitedOn: day(1), loan: { repaymentIntention: 'partial' }, photos: await photos(4, counselorA) });
    const late = await submit(id);
    expect(late.body.details).toEqual([
      { path: 'visitedOn', message: '家访日期不能晚于今天', messageEn: 'the visit cannot lie in the future', rule: 'past' },
      { path: 'loan.reminderGiven', message: '助学贷款逾期毕业生家访须提醒按期还款', messageEn: 'an overdue borrower must be reminded to repay', rule: 'required' },
    ]);
    await patch(id, { visitedOn: day(0), loan: { repaymentIntention: 'partial', reminderGiven: true, note: '每月还款500元' } });
    const done = await submit(id);
    expect(done.status).toBe(200);
    expect(done.body.content.loan).toEqual({ repaymentIntention: 'partial', repaymentIntentionZh: '愿意分期或部分还款', reminderGiven: true, note: '每月还款500元' });
  });

  it('changes a submitted report only as a new version; the earlier version stays as submitted', async () => {
    const id = (await start(main, entries.get(no('A', 3))!.id)).body.id as string;
    await patch(id, { ...CONTENT, photos: await photos(4, counselorA) });
    expect(messages((await submit(id)).body)).toEqual(['毕业生回访的毕业后发展情况为必填项']);
    await patch(id, { graduateDevelopment: '在深圳从事会计工作，已考取初级会计师' });
    const first = await submit(id);
    expect(first.body).toMatchObject({ state: 'submitted', version: 1, amending: false });
    const revision = first.body.revision as number;

    expect((await patch(id, { reflections: '改' }, counselorA, { 'If-Match': `"${revision - 1}"` })).status).toBe(409);
    const changing = await patch(id, { reflections: '回访让我们看到毕业生的成长。' }, counselorA, { 'If-Match': `"${revision}"` });
    expect(changing.body).toMatchObject({ state: 'draft', version: 1, amending: true });
    const v1 = await t.request('GET', report(id, '/versions/1'), { as: counselorA });
    expect(v1.body).toMatchObject({ version: 1, content: { reflections: CONTENT.reflections, graduateDevelopment: '在深圳从事会计工作，已考取初级会计师' } });
    const second = await submit(id);
    expect(second.body).toMatchObject({ state: 'submitted', version: 2, content: { reflections: '回访让我们看到毕业生的成长。' } });
    expect(second.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect((await t.request('GET', report(id, '/versions/1'), { as: counselorA })).body.content.reflections).toBe(CONTENT.reflections);
    expect((await t.request('GET', report(id, '/versions/3'), { as: counselorA })).status).toBe(404);
    // Submitting the submitted report again is the same submission.
    const again = await submit(id, counselorA, { 'If-Match': `"${second.body.revision}"` });
    expect([again.status, again.body.version, again.body.revision]).toEqual([200, 2, second.body.revision]);
  });

  it('parallel submissions yield one submitted version, one contact and one event', async () => {
    const receiver = await startRecordingServer();
    try {
      expect((await t.request('POST', '/api/webhooks', { as: officer, body: { url: receiver.url, events: ['visitReport.submitted'], secret: 'a-long-enough-shared-secret' } })).status).toBe(201);
      const id = (await start(main, entries.get(no('A', 7))!.id, teacherA)).body.id as string;
      const ready = await patch(id, { ...CONTENT, photos: await photos(4, teacherA) }, teacherA);
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => submit(id, i % 2 ? counselorA : teacherA, { 'If-Match': `"${ready.body.revision}"` })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(new Set(answers.map((a) => `${a.body.version}/${a.body.revision}`))).toEqual(new Set([`1/${ready.body.revision + 1}`]));
      expect(await mongoose.connection.collection('visitreportversions').countDocuments({ report: id })).toBe(1);
      expect(await mongoose.connection.collection('visitreportrevisions').countDocuments({ report: id, action: 'submit' })).toBe(1);
      const raw = await mongoose.connection.collection('visitreports').findOne({ _id: id } as never);
      expect(await mongoose.connection.collection('contacts').countDocuments({ _id: raw!.contactId })).toBe(1);
      expect(await mongoose.connection.collection('contacts').countDocuments({ student: raw!.student })).toBe(1);

      await receiver.waitFor(1);
      await new Promise((r) => setTimeout(r, 300));
      const events = receiver.received.map((r) => JSON.parse(r.body) as { event: string; data: Record<string, unknown> }).filter((e) => e.data.id === id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ event: 'visitReport.submitted', data: { collegeCode: 'A', version: 1, unplanned: false, student: { studentNo: no('A', 7) }, followUp: { needed: true, needs: '开学后安排高数辅导' }, photos: 4 } });
    } finally {
      await receiver.close();
    }
  });
});

describe('the archive learns from the visit (D8)', () => {
  it('records one home-visit contact per report, and the student leaves the overdue list', async () => {
    const overdueNumbers = async () =>
      ((await t.request('GET', '/api/contacts/overdue', { as: counselorA })).body.counselors as Array<{ students: Array<{ studentNo: string }> }>).flatMap((c) => c.students.map((s) => s.studentNo));
    expect(await overdueNumbers()).toContain(no('A', 2));
    const id = (await start(main, entries.get(no('A', 2))!.id, teacherA)).body.id as string;
    await patch(id, { ...CONTENT, metWith: '李母（母亲）', photos: await photos(1, teacherA) }, teacherA);
    expect((await submit(id, teacherA)).status).toBe(200);
    expect(await overdueNumbers()).not.toContain(no('A', 2));

    const contacts = await t.request('GET', `/api/contacts?student=${no('A', 2)}`, { as: counselorA });
    expect(contacts.body.total).toBe(1);
    expect(contacts.body.items[0]).toMatchObject({ channel: 'homeVisit', topics: ['conduct', 'grades'], guardianName: '李母（母亲）', parentFeedback: CONTENT.parentOpinion, summary: `电话家访：${CONTENT.account}`, followUps: [{ action: '开学后安排高数辅导' }] });
    expect(DateTime.fromISO(contacts.body.items[0].contactedAt).setZone('Asia/Shanghai').toISODate()).toBe(day(0));
    const student = await t.request('GET', `/api/students/${no('A', 2)}`, { as: counselorA });
    expect(student.body.lastContactAt).toBe(contacts.body.items[0].contactedAt);

    // A new version is the same visit: no second contact.
    await patch(id, { reflections: '补充体会' }, teacherA);
    expect((await submit(id, teacherA)).body.version).toBe(2);
    expect((await t.request('GET', `/api/contacts?student=${no('A', 2)}`, { as: counselorA })).body.total).toBe(1);
  });
});

describe('sensitive parts (A4)', () => {
  it('seals the psychological state and family finances, shows them within the sensitive scope only, and audits the read', async () => {
    const id = (await start(main, entries.get(no('A', 0))!.id)).body.id as string;
    const current = await t.request('GET', report(id), { as: counselorA });
    const saved = await patch(id, { psychologicalState: '近期焦虑，失眠', familyFinances: '父亲重病，年收入不足两万' }, counselorA, { 'If-Match': `"${current.body.revision}"` });
    expect(saved.status).toBe(200);
    expect(saved.body.content).toMatchObject({ psychologicalState: '近期焦虑，失眠', familyFinances: '父亲重病，年收入不足两万' });

    const raw = await mongoose.connection.collection('visitreports').findOne({ _id: id } as never);
    expect(Object.keys(raw!.sealed).sort()).toEqual(['familyFinances', 'psychologicalState']);
    expect(JSON.stringify(raw)).not.toContain('焦虑');
    expect(JSON.stringify(raw)).not.toContain('两万');

    // The teacher visitor (no sensitive:read) sees that they exist, not what they say, and keeps them by leaving them out.
    const teacherView = await t.request('GET', report(id), { as: teacherA });
    expect(teacherView.body.redacted.sort()).toEqual(['familyFinances', 'psychologicalState']);
    expect(teacherView.body.content.psychologicalState).toBeUndefined();
    expect((await patch(id, { reflections: '老师补充的体会' }, teacherA)).status).toBe(200);
    expect((await t.request('GET', report(id), { as: leaderA })).body.content.psychologicalState).toBe('近期焦虑，失眠');
    expect((await t.request('GET', report(id), { as: principal })).body.content.familyFinances).toBeUndefined();

    const audit = await mongoose.connection.collection('auditentries').find({ action: 'read-sensitive', resourceType: 'visitReport', resourceId: id }).toArray();
    expect(audit.map((a) => a.actor.username)).toEqual(expect.arrayContaining([counselorA.username, leaderA.username]));
    expect(audit.map((a) => a.actor.username)).not.toContain(teacherA.username);

    // Submitted, the kept version is sealed too.
    expect((await submit(id)).body.version).toBe(2);
    const version = await mongoose.connection.collection('visitreportversions').findOne({ _id: `${id}#2` } as never);
    expect(Object.keys(version!.sealed).sort()).toEqual(['familyFinances', 'psychologicalState']);
    expect(JSON.stringify(version)).not.toContain('焦虑');
    expect((await t.request('GET', report(id, '/versions/2'), { as: counselorA })).body.content.psychologicalState).toBe('近期焦虑，失眠');
  });
});
