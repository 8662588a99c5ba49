import mongoose, { type Types } from 'mongoose';
import { startRecordingServer } from '../support/recording-server';
import { seedArchives, seededNumber as no } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { approvedPhonePlan, day, openPhoneCampaign, reportContent, submitReport } from '../support/visit-report-flow';

/**
 * The archive learns from the visit (issue #13, D8) over real HTTP on the real database: archive changes
 * a report proposes, confirmed or declined by the student's college, applied once and never over a later
 * change; a report returned and submitted again; revisit candidates and a student's visit timeline.
 */

let t: TestService;
let A: Types.ObjectId;
let officer: Credentials;
let leaderA: Credentials;
let counselorA: Credentials;
let counselorA2: Credentials;
let counselorB: Credentials;
let teacherA: Credentials;
let principal: Credentials;
let earlier: string;
let current: string;
let earlierEntries: Map<string, string>;
let currentEntries: Map<string, string>;

const ADDRESS = '湖南省长沙市岳麓区麓山路1号';
const GUARDIANS = [{ name: '张父', relation: '父亲', phone: '13800000000' }];

const proposals = (query: string, as: Credentials = counselorA) => t.request('GET', `/api/archive-proposals?${query}`, { as });
const proposal = (id: string, as: Credentials = counselorA) => t.request('GET', `/api/archive-proposals/${id}`, { as });
const decide = (id: string, decision: 'confirm' | 'decline', as: Credentials = counselorA, options: { headers?: Record<string, string>; body?: unknown } = {}) =>
  t.request('POST', `/api/archive-proposals/${id}/${decision}`, { as, ...options });
const archive = async (studentNo: string, as: Credentials = counselorA) => (await t.request('GET', `/api/students/${studentNo}`, { as })).body;
const revisions = (student: string) => mongoose.connection.collection('archiverevisions').find({ student: new mongoose.Types.ObjectId(student) }).toArray();

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
  principal = await t.staff('schoolLeader');
  await seedArchives(A, 'A', 20, () => ({ counselor: counselorA.userId, homeAddress: ADDRESS, guardians: GUARDIANS }));
  await seedArchives(B, 'B', 5);
  earlier = await openPhoneCampaign(t, officer, '上学期寒假家访', -12);
  current = await openPhoneCampaign(t, officer, '本学期暑假家访', -10);
  const people = { counselor: counselorA, leader: leaderA, officer };
  earlierEntries = await approvedPhonePlan(t, earlier, people, [0, 1, 2, 3, 4, 5, 6].map((i) => ({ student: no('A', i), visitors: i % 2 === 0 && i > 0 ? [teacherA] : [counselorA] })));
  currentEntries = await approvedPhonePlan(t, current, people, [1, 7].map((i) => ({ student: no('A', i), visitors: [counselorA] })));
}, 180_000);
afterAll(async () => {
  await t.stop();
});

describe('archive change proposals (D8)', () => {
  let reportId: string;
  const idOf = (field: string) => `${reportId}:v1:${field}`;

  it('D8: a report proposes archive changes checked by the archive’s own rules; submission makes them pending proposals', async () => {
    const started = await t.request('POST', '/api/visit-reports', { as: counselorA, body: { campaign: earlier, college: 'A', entryId: earlierEntries.get(no('A', 0)) } });
    reportId = started.body.id;
    const invalid = await t.request('PATCH', `/api/visit-reports/${reportId}`, { as: counselorA, body: { proposals: { careTier: '非常特殊', guardians: [{ name: '张父', relation: '父亲', phone: '12345' }] } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'proposals.careTier', message: '关注等级应为 特殊、重点 或 一般', rule: 'enum' }),
      expect.objectContaining({ path: 'proposals.guardians[0].phone', message: '监护人的电话应为 11 位手机号或带区号的固定电话', rule: 'pattern' }),
    ]));

    const newGuardians = [{ name: '张父', relation: '父亲', phone: '13900000001' }, { name: '李母', relation: '母亲', phone: '13900000002' }];
    const saved = await t.request('PATCH', `/api/visit-reports/${reportId}`, {
      as: counselorA,
      body: { ...reportContent(day(-5)), proposals: { homeAddress: '湖南省长沙市天心区新居5号', careTier: '重点', guardians: newGuardians, specialCategories: [] } },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.proposals).toEqual({ homeAddress: '湖南省长沙市天心区新居5号', careTier: 'key', guardians: newGuardians, specialCategories: [] });
    expect((await t.request('POST', `/api/visit-reports/${reportId}/submit`, { as: counselorA })).status).toBe(200);
    // Submitting again proposes nothing new.
    expect((await t.request('POST', `/api/visit-reports/${reportId}/submit`, { as: counselorA })).status).toBe(200);

    const pending = await proposals('college=A&state=pending&limit=50');
    expect(pending.status).toBe(200);
    // specialCategories proposes what the archive already holds (none): no proposal.
    expect(pending.body.items.filter((p: { report: string }) => p.report === reportId).map((p: { field: string }) => p.field).sort()).toEqual(['careTier', 'guardians', 'homeAddress']);
    expect(await mongoose.connection.collection('archiveproposals').countDocuments({ report: reportId })).toBe(3);
    const address = pending.body.items.find((p: { id: string }) => p.id === idOf('homeAddress'));
    expect(address).toMatchObject({ fieldZh: '家庭住址', value: '湖南省长沙市天心区新居5号', basis: ADDRESS, state: 'pending', stateZh: '待确认', revision: 1, student: { studentNo: no('A', 0) }, note: `家访报告 ${reportId} 第 1 版` });
    expect((await proposals('college=A&state=pending', counselorB)).body).toEqual({ items: [], total: 0 });
  });

  it('D8: a confirmed proposal lands in the archive, its history saying “from visit report … v1”', async () => {
    const before = await archive(no('A', 0));
    const stale = await decide(idOf('homeAddress'), 'confirm', counselorA, { headers: { 'If-Match': '"7"' } });
    expect([stale.status, stale.body.code]).toEqual([409, 'REVISION_CONFLICT']);
    const confirmed = await decide(idOf('homeAddress'), 'confirm', counselorA, { headers: { 'If-Match': '"1"' } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get('etag')).toBe('"2"');
    expect(confirmed.body).toMatchObject({ state: 'confirmed', decidedBy: counselorA.username, appliedRevision: before.revision + 1 });

    const after = await archive(no('A', 0));
    expect([after.homeAddress, after.revision]).toEqual(['湖南省长沙市天心区新居5号', before.revision + 1]);
    const history = await t.request('GET', `/api/students/${no('A', 0)}/history`, { as: counselorA });
    expect(history.body[0]).toMatchObject({
      revision: before.revision + 1, source: 'visit', changes: [{ field: 'homeAddress', from: ADDRESS, to: '湖南省长沙市天心区新居5号' }],
      origin: { visitReport: reportId, version: 1, note: `家访报告 ${reportId} 第 1 版`, noteEn: `from visit report ${reportId} v1` },
    });
    // Confirming again answers the decision; nothing is written twice.
    expect((await decide(idOf('homeAddress'), 'confirm')).status).toBe(200);
    expect((await archive(no('A', 0))).revision).toBe(before.revision + 1);
  });

  it('D8: a declined proposal leaves the archive as it is and cannot be confirmed afterwards', async () => {
    const declined = await decide(idOf('careTier'), 'decline', leaderA, { body: { reason: '学生情况已好转' } });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ state: 'declined', stateZh: '未采纳', declineReason: '学生情况已好转' });
    expect((await archive(no('A', 0))).careTier).toBe('general');
    const late = await decide(idOf('careTier'), 'confirm');
    expect([late.status, late.body.code, late.body.messageZh]).toEqual([409, 'PROPOSAL_DECIDED', '该档案变更建议未采纳，不能再处理']);
    expect((await archive(no('A', 0))).careTier).toBe('general');
  });

  it('D8: only the counselors and leaders of the student’s college decide; others are refused or see nothing', async () => {
    expect((await decide(idOf('guardians'), 'confirm', teacherA)).status).toBe(403); // reads the student, keeps no archive
    expect((await decide(idOf('guardians'), 'confirm', officer)).status).toBe(403);
    expect((await decide(idOf('guardians'), 'confirm', counselorB)).status).toBe(404);
    expect((await proposal(idOf('guardians'), counselorB)).status).toBe(404);
  });

  it('D8: parallel confirmations apply the change once', async () => {
    const before = await archive(no('A', 0));
    const answers = await Promise.all([counselorA, counselorA2, leaderA, counselorA, counselorA2, leaderA].map((who) => decide(idOf('guardians'), 'confirm', who)));
    expect(answers.every((a) => [200, 409].includes(a.status))).toBe(true);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
    for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.code).toBe('PROPOSAL_DECIDED');
    const after = await archive(no('A', 0));
    expect(after.revision).toBe(before.revision + 1);
    expect(after.guardians.map((g: { phone: string }) => g.phone)).toEqual(['13900000001', '13900000002']);
    const applied = (await revisions(before.id)).filter((r) => r.origin?.proposal === idOf('guardians'));
    expect(applied).toHaveLength(1);
    expect(await mongoose.connection.collection('archiveproposaldecisions').countDocuments({ _id: idOf('guardians') } as never)).toBe(1);
  });

  it('D8: a proposal whose field changed in the archive after the submission is refused as stale, naming the field', async () => {
    const report = await submitReport(t, earlier, earlierEntries.get(no('A', 3))!, counselorA, { ...reportContent(day(-5)), proposals: { homeAddress: '湖北省武汉市洪山区珞喻路8号' } });
    const id = `${report.id}:v1:homeAddress`;
    const now = await archive(no('A', 3));
    const edited = await t.request('PATCH', `/api/students/${no('A', 3)}`, { as: counselorA2, headers: { 'If-Match': `"${now.revision}"` }, body: { homeAddress: '湖南省株洲市芦淞区2号' } });
    expect(edited.status).toBe(200);

    const refused = await decide(id, 'confirm');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'STALE_PROPOSAL', messageZh: '学生档案的“家庭住址”在家访报告提交后已被修改，确认将覆盖该修改。请不予采纳，或直接修改档案' });
    expect(refused.body.details).toEqual([{ path: 'homeAddress', message: '档案中的家庭住址在报告提交后已有变化', messageEn: 'the archive\'s home address changed since the report was submitted', rule: 'stale' }]);
    expect((await archive(no('A', 3))).homeAddress).toBe('湖南省株洲市芦淞区2号');
    expect((await proposal(id)).body.state).toBe('pending');
    expect((await decide(id, 'decline')).body.state).toBe('declined');
  });

  it('A4/D8: a sealed proposal is kept encrypted, shown only within the sensitive scope, each opening audited', async () => {
    const report = await submitReport(t, earlier, earlierEntries.get(no('A', 4))!, teacherA, { ...reportContent(day(-4)), proposals: { familyFinances: '父亲下岗，家庭月收入不足两千元' } });
    const id = `${report.id}:v1:familyFinances`;
    const raw = await mongoose.connection.collection('archiveproposals').findOne({ _id: id } as never);
    expect(raw).toMatchObject({ sensitive: true, value: null, state: 'pending' });
    expect(JSON.stringify(raw)).not.toContain('两千');
    expect(JSON.stringify(await mongoose.connection.collection('visitreports').findOne({ _id: report.id } as never))).not.toContain('两千');

    // The visitor who wrote it holds no sensitive:read: the report names it redacted.
    expect((await t.request('GET', `/api/visit-reports/${report.id}`, { as: teacherA })).body.redacted).toContain('proposals.familyFinances');
    const listed = (await proposals(`student=${no('A', 4)}`)).body.items[0];
    expect(listed).toMatchObject({ id, sensitive: true, redacted: ['value', 'basis'] });
    expect(listed.value).toBeUndefined();
    for (const outside of [counselorA2, teacherA, principal]) {
      const seen = await proposal(id, outside);
      expect([outside.username, seen.status, seen.body.value]).toEqual([outside.username, 200, undefined]);
    }
    expect(await mongoose.connection.collection('auditentries').countDocuments({ action: 'read-sensitive', resourceType: 'archiveProposal', resourceId: id })).toBe(0);

    const opened = await proposal(id);
    expect(opened.body).toMatchObject({ value: '父亲下岗，家庭月收入不足两千元', basis: null, redacted: [] });
    const audit = await mongoose.connection.collection('auditentries').find({ action: 'read-sensitive', resourceType: 'archiveProposal', resourceId: id }).toArray();
    expect(audit.map((a) => [a.actor.username, a.fields])).toEqual([[counselorA.username, ['familyFinances']]]);

    // Confirming writes a value one must be allowed to read: not the counselor who does not look after the student.
    const refused = await decide(id, 'confirm', counselorA2);
    expect([refused.status, refused.body.code]).toEqual([403, 'SENSITIVE_NEED_TO_KNOW']);
    expect((await decide(id, 'confirm')).status).toBe(200);
    expect((await archive(no('A', 4))).familyFinances).toBe('父亲下岗，家庭月收入不足两千元');
    const history = await t.request('GET', `/api/students/${no('A', 4)}/history`, { as: counselorA });
    expect(history.body[0]).toMatchObject({ source: 'visit', changes: [{ field: 'familyFinances', sensitive: true }], origin: { version: 1 } });
    expect(JSON.stringify(history.body)).not.toContain('两千');
  });
});

describe('returning a report (D8)', () => {
  it('D8: a counselor returns a submitted report with the reason; the visitor sees it returned, amends it and submits version 2; the event carries the reason', async () => {
    const receiver = await startRecordingServer();
    try {
      expect((await t.request('POST', '/api/webhooks', { as: officer, body: { url: receiver.url, events: ['visitReport.rejected'], secret: 'a-long-enough-shared-secret' } })).status).toBe(201);
      const report = await submitReport(t, earlier, earlierEntries.get(no('A', 6))!, teacherA, { ...reportContent(day(-3)), proposals: { homeAddress: '湖南省衡阳市1号' } });
      const route = `/api/visit-reports/${report.id}/return`;
      expect((await t.request('POST', route, { as: counselorA, body: { reason: '  ' } })).status).toBe(400);
      expect((await t.request('POST', route, { as: teacherA, body: { reason: '自己退回' } })).status).toBe(403);
      expect((await t.request('POST', route, { as: counselorB, body: { reason: '退回' } })).status).toBe(404);
      expect((await t.request('POST', route, { as: counselorA, headers: { 'If-Match': `"${report.revision - 1}"` }, body: { reason: '退回' } })).body.code).toBe('REVISION_CONFLICT');

      const returned = await t.request('POST', route, { as: counselorA, headers: { 'If-Match': `"${report.revision}"` }, body: { reason: '家访实录过于简略，请补充家长反映的具体困难' } });
      expect(returned.status).toBe(200);
      expect(returned.body).toMatchObject({ state: 'returned', stateZh: '已退回', version: 1, lastReturn: { reason: '家访实录过于简略，请补充家长反映的具体困难', version: 1, by: counselorA.username } });
      const again = await t.request('POST', route, { as: counselorA, body: { reason: '再退' } });
      expect([again.status, again.body.code]).toEqual([409, 'REPORT_NOT_SUBMITTED']);
      // The returned version's proposal is no longer open for confirmation.
      expect((await proposal(`${report.id}:v1:homeAddress`)).body.state).toBe('withdrawn');

      const mine = await t.request('GET', `/api/visit-reports/mine?campaign=${earlier}`, { as: teacherA });
      expect(mine.body.items.find((i: { studentNo: string }) => i.studentNo === no('A', 6)).report).toMatchObject({ state: 'returned', stateZh: '已退回', version: 1 });
      expect(mine.body.counts.returned).toBe(1);

      await receiver.waitFor(1);
      const events = receiver.received.map((r) => JSON.parse(r.body) as { event: string; data: Record<string, unknown> }).filter((e) => e.data.id === report.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ event: 'visitReport.rejected', data: { version: 1, reason: '家访实录过于简略，请补充家长反映的具体困难', returnedBy: { username: counselorA.username, role: 'counselor' }, student: { studentNo: no('A', 6) } } });

      const amended = await t.request('PATCH', `/api/visit-reports/${report.id}`, { as: teacherA, body: { account: '电话联系学生母亲，母亲反映家中住房拆迁、暂住亲戚家，学生假期打工补贴家用。', proposals: { homeAddress: '湖南省衡阳市2号' } } });
      expect(amended.body).toMatchObject({ state: 'draft', amending: true });
      const resubmitted = await t.request('POST', `/api/visit-reports/${report.id}/submit`, { as: teacherA });
      expect(resubmitted.body).toMatchObject({ state: 'submitted', version: 2 });
      expect((await t.request('GET', `/api/visit-reports/${report.id}/versions/1`, { as: counselorA })).body.content.account).toBe(reportContent(day(-3)).account);
      expect((await proposal(`${report.id}:v2:homeAddress`)).body).toMatchObject({ state: 'pending', value: '湖南省衡阳市2号', version: 2 });
    } finally {
      await receiver.close();
    }
  });
});

describe('revisits and the visit timeline (D8)', () => {
  beforeAll(async () => {
    await submitReport(t, earlier, earlierEntries.get(no('A', 1))!, counselorA, reportContent(day(-6)));
    await submitReport(t, earlier, earlierEntries.get(no('A', 2))!, teacherA, reportContent(day(-6)));
    await submitReport(t, earlier, earlierEntries.get(no('A', 5))!, counselorA, { ...reportContent(day(-2)), psychologicalState: '近期焦虑', familyFinances: '收入微薄' });
    await submitReport(t, current, currentEntries.get(no('A', 1))!, counselorA, { ...reportContent(day(-1)), followUp: { needed: false } });
    // Visited before, and already visited outside the plan in this campaign.
    expect((await t.request('POST', '/api/visit-reports', { as: teacherA, body: { campaign: current, student: no('A', 2), reason: '家长来电', mode: 'phone' } })).status).toBe(201);
  }, 60_000);

  it('D8: offers the students visited in earlier campaigns with their last visit, leaving out those this campaign plans or reports on', async () => {
    const answer = await t.request('GET', `/api/visit-campaigns/${current}/revisit-candidates?college=A&limit=100`, { as: counselorA });
    expect(answer.status).toBe(200);
    // A1 is in this campaign's plan, A2 has its report here already; A7 was never visited.
    expect(answer.body.items.map((i: { student: { studentNo: string } }) => i.student.studentNo)).toEqual([0, 3, 4, 5, 6].map((i) => no('A', i)));
    expect(answer.body.total).toBe(5);
    const a5 = answer.body.items.find((i: { student: { studentNo: string } }) => i.student.studentNo === no('A', 5));
    expect(a5).toEqual({
      student: { id: expect.any(String), studentNo: no('A', 5), name: '学生A5', grade: '2024', major: '会计', className: '会计1班' },
      visits: 1,
      campaigns: 1,
      lastVisit: expect.objectContaining({
        campaign: { id: earlier, title: '上学期寒假家访' }, visitedOn: day(-2), mode: 'phone', modeZh: '电话家访', kindZh: '普访',
        visitors: [{ name: counselorA.username, role: 'counselor', roleZh: '辅导员' }], followUp: { needed: true, needs: '开学后安排高数辅导' }, version: 1,
      }),
    });
    expect(JSON.stringify(answer.body)).not.toMatch(/焦虑|收入微薄|psychologicalState|familyFinances/);
    // The returned and resubmitted report shows its last submitted version.
    expect(answer.body.items.find((i: { student: { studentNo: string } }) => i.student.studentNo === no('A', 6)).lastVisit).toMatchObject({ version: 2, state: 'submitted' });

    const paged = await t.request('GET', `/api/visit-campaigns/${current}/revisit-candidates?college=A&limit=2&skip=2`, { as: leaderA });
    expect([paged.body.total, paged.body.items.map((i: { student: { studentNo: string } }) => i.student.studentNo)]).toEqual([5, [no('A', 4), no('A', 5)]]);
    // Nothing was visited before the earlier campaign.
    expect((await t.request('GET', `/api/visit-campaigns/${earlier}/revisit-candidates?college=A`, { as: counselorA })).body).toMatchObject({ items: [], total: 0 });
    for (const outside of [counselorB, teacherA]) {
      expect((await t.request('GET', `/api/visit-campaigns/${current}/revisit-candidates?college=A`, { as: outside })).status).toBe(404);
    }
    expect((await t.request('GET', `/api/visit-campaigns/${current}/revisit-candidates?college=A`, { as: officer })).body.total).toBe(5);
  });

  it('D8: a student’s visits form one timeline across campaigns, newest first, within the scope of reading the student', async () => {
    const timeline = await t.request('GET', `/api/students/${no('A', 1)}/visits`, { as: counselorA });
    expect(timeline.status).toBe(200);
    expect(timeline.body.student).toMatchObject({ studentNo: no('A', 1), name: '学生A1' });
    expect(timeline.body.items.map((v: { campaign: { title: string }; visitedOn: string }) => [v.campaign.title, v.visitedOn])).toEqual([
      ['本学期暑假家访', day(-1)],
      ['上学期寒假家访', day(-6)],
    ]);
    expect(timeline.body.items[0]).toMatchObject({ modeZh: '电话家访', followUp: { needed: false }, readable: true, state: 'submitted' });
    // A draft is no visit yet; an unplanned draft does not show.
    expect((await t.request('GET', `/api/students/${no('A', 2)}/visits`, { as: counselorA })).body.items.map((v: { campaign: { id: string } }) => v.campaign.id)).toEqual([earlier]);
    expect((await t.request('GET', `/api/students/${no('A', 5)}/visits`, { as: counselorA })).body.items).toHaveLength(1);
    expect(JSON.stringify((await t.request('GET', `/api/students/${no('A', 5)}/visits`, { as: counselorA })).body)).not.toMatch(/焦虑|收入微薄/);

    expect((await t.request('GET', `/api/students/${no('A', 1)}/visits`, { as: counselorB })).status).toBe(404);
    expect((await t.request('GET', `/api/students/${no('A', 1)}/visits`, { as: principal })).body.items).toHaveLength(2);
    // A teacher opens one student of their college, not the reports they did not make.
    const teacherView = await t.request('GET', `/api/students/${no('A', 1)}/visits`, { as: teacherA });
    expect(teacherView.body.items.map((v: { readable: boolean }) => v.readable)).toEqual([false, false]);
  });
});
