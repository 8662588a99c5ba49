import mongoose, { type Types } from 'mongoose';
import { seedArchives, seededNumber as no } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { approvedPlan, fileEntry, jpeg, openCampaignAroundToday, planEntry, upload, visitReportData } from '../support/visit-report-data';

/**
 * The visit-report form drives the report (issue #13 items 1 and 7, D6–D7): a Form.io submission names
 * its report and is written through the reports service — draft (state `draft`) or submission — with the
 * service's checks on the form's fields; the submission itself is only a receipt.
 */

let t: TestService;
let A: Types.ObjectId;
let officer: Credentials;
let leaderA: Credentials;
let counselorA: Credentials;
let teacherA: Credentials;
let campaign: string;
let entries: Map<string, { id: string }>;

const send = (data: Record<string, unknown>, state: 'draft' | 'submitted', as: Credentials = counselorA) => t.request('POST', '/form/visitReport/submission', { as, body: { data, state } });
const getReport = (id: string, as: Credentials = counselorA) => t.request('GET', `/api/visit-reports/${id}`, { as });
const photos = (count: number, as: Credentials = counselorA) => Promise.all(Array.from({ length: count }, (_, i) => upload(t, as, jpeg(), `IMG_${i + 1}.jpg`).then((u) => fileEntry(t, u))));

async function started(student: string, as: Credentials = counselorA) {
  const answer = await t.request('POST', '/api/visit-reports', { as, body: { campaign, college: 'A', entryId: entries.get(no('A', Number(student)))!.id } });
  expect([200, 201]).toContain(answer.status);
  return answer.body as { id: string; revision: number };
}

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A');
  officer = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', A);
  counselorA = await t.staff('counselor', A);
  teacherA = await t.staff('teacher', A);
  await seedArchives(A, 'A', 100, () => ({ counselor: counselorA.userId }));
  campaign = await openCampaignAroundToday(t, officer, ['A']);
  entries = await approvedPlan(t, campaign, 'A', { counselor: counselorA, leader: leaderA, officer }, [
    planEntry(no('A', 0), 'onsite', [counselorA, teacherA]),
    planEntry(no('A', 1), 'onsite', [counselorA]),
    planEntry(no('A', 2), 'onsite', [counselorA], { targetType: 'loanOverdue' }),
    planEntry(no('A', 3), 'video', [counselorA, teacherA]),
    planEntry(no('A', 4), 'video', [counselorA]),
    planEntry(no('A', 5), 'onsite', [counselorA, teacherA]),
  ]);
});
afterAll(async () => {
  await t.stop();
});

describe('the visit-report form writes its report (D6)', () => {
  it('D6: a draft sent by the form lands in the report under the same keys; the submission is a receipt linked to it', async () => {
    const report = await started('0');
    const [photo] = await photos(1);
    const data: Record<string, unknown> = { ...visitReportData(report, [photo]), psychologicalState: '情绪偶有低落', followUp: { needed: true, needs: '开学后安排学业辅导' } };
    const draft = await send(data, 'draft');
    expect(draft.status).toBe(201);
    expect(draft.body.state).toBe('draft');
    expect(draft.body.metadata.linked).toEqual({ type: 'visitReport', id: report.id });

    const saved = (await getReport(report.id)).body;
    expect(saved).toMatchObject({ state: 'draft', revision: report.revision + 1, photos: [photo!.data.id] });
    expect(saved.content).toMatchObject({
      visitedOn: String(data.visitedOn).slice(0, 10), metWith: '陈建国（父亲）', orientations: ['policy', 'ideology'], safetyEducation: ['travel', 'internet'], aidPolicies: ['grant', 'loan'],
      psychologicalState: '情绪偶有低落', followUp: { needed: true, needs: '开学后安排学业辅导' }, loan: null,
    });
    // The receipt seals what the report seals, and does not hold the upload.
    const stored = await mongoose.connection.collection('submissions').findOne({ _id: new mongoose.Types.ObjectId(String(draft.body._id)) });
    expect(JSON.stringify(stored!.data)).not.toContain('情绪偶有低落');
    const file = await mongoose.connection.collection('storedfiles').findOne({ _id: new mongoose.Types.ObjectId(photo!.data.id) });
    expect(String(file!.submission)).not.toBe(String(draft.body._id));
  });

  it('D6: without a report id, or naming a report out of reach, the form is refused on `report`; a receipt is never changed in place', async () => {
    const data = visitReportData({ id: '' }, []);
    delete data.report;
    const missing = await send(data, 'draft');
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([expect.objectContaining({ path: 'report', rule: 'required' })]);

    const report = await started('1');
    const outsider = await t.staff('teacher', A);
    const refused = await send(visitReportData(report, []), 'draft', outsider);
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'report', rule: 'NOT_FOUND' })]);

    const receipt = await send(visitReportData(report, []), 'draft');
    expect(receipt.status).toBe(201);
    const put = await t.request('PUT', `/form/visitReport/submission/${receipt.body._id}`, { as: counselorA, body: { data: receipt.body.data } });
    expect(put.status).toBe(409);
    expect(put.body.code).toBe('SUBMISSION_IS_RECEIPT');
    expect((await t.request('GET', '/form/visitReport/submission', { as: outsider })).body).toEqual([]);
  });

  it('D6: the revision the form was filled from acts as If-Match: a form from an older revision changes nothing', async () => {
    const report = await started('5');
    expect((await send(visitReportData(report, []), 'draft')).status).toBe(201);
    const stale = await send({ ...visitReportData(report, []), place: '学生家中（旧页面）' }, 'draft', teacherA);
    expect(stale.status).toBe(400);
    expect(stale.body.details).toEqual([expect.objectContaining({ path: 'revision', rule: 'revision' })]);
    expect((await getReport(report.id)).body).toMatchObject({ revision: report.revision + 1, content: { place: '学生家中' } });
  });

  it('D6: two submissions of one form sent at once make one submitted version; the other is told of the conflict', async () => {
    const report = await started('4');
    const data = visitReportData(report, await photos(2));
    const answers = await Promise.all([send(data, 'submitted'), send(data, 'submitted'), send(data, 'submitted')]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400, 400]);
    for (const loser of answers.filter((a) => a.status === 400)) expect(loser.body.details).toEqual([expect.objectContaining({ path: 'revision', rule: 'revision' })]);
    const after = (await getReport(report.id)).body;
    expect(after).toMatchObject({ state: 'submitted', version: 1 });
    expect(after.versions).toHaveLength(1);
    expect(await mongoose.connection.collection('contacts').countDocuments({ channel: 'homeVisit', student: new mongoose.Types.ObjectId(after.student.id) })).toBe(1);
  });
});

describe('submitting through the form: the service’s checks on the form’s fields (D6–D7)', () => {
  it('D7: a Submit short of photos is refused on the photos field with the service’s reason, and what was typed stays as the draft', async () => {
    const report = await started('1');
    const short = await send(visitReportData(report, await photos(3)), 'submitted');
    expect(short.status).toBe(400);
    expect(short.body.name).toBe('ValidationError');
    expect(short.body.details).toEqual([expect.objectContaining({ path: 'photos', rule: 'photoCount', message: '实地家访至少需要 4 张照片（有效 3 张）', messageEn: 'An on-site visit needs at least 4 distinct photos uploaded here (3 valid)', context: expect.objectContaining({ key: 'photos' }) })]);
    const kept = (await getReport(report.id)).body;
    expect(kept).toMatchObject({ state: 'draft', version: 0, content: { metWith: '陈建国（父亲）' } });
    expect(kept.photos).toHaveLength(3);

    const enough = await send(visitReportData(kept, [...kept.photos.map((id: string) => ({ storage: 'url', url: `${t.url}/api/files/${id}`, name: id })), ...(await photos(1))]), 'submitted');
    expect(enough.status).toBe(201);
    expect((await getReport(report.id)).body).toMatchObject({ state: 'submitted', version: 1 });
  });

  it('D6: an overdue borrower’s visit needs the loan section: every missing part named on its field, then accepted', async () => {
    const report = await started('2');
    const evidence = await photos(4);
    const missing = await send(visitReportData(report, evidence), 'submitted');
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((d: { path: string }) => d.path)).toEqual(['loan.repaymentIntention', 'loan.reminderGiven']);
    expect(missing.body.details.map((d: { context: { key: string } }) => d.context.key)).toEqual(['repaymentIntention', 'reminderGiven']);

    const current = (await getReport(report.id)).body;
    const done = await send({ ...visitReportData(current, evidence), loan: { repaymentIntention: 'partial', reminderGiven: true, note: '家长承诺分三期还清' } }, 'submitted');
    expect(done.status).toBe(201);
    expect((await getReport(report.id)).body.content.loan).toEqual({ repaymentIntention: 'partial', repaymentIntentionZh: '愿意分期或部分还款', reminderGiven: true, note: '家长承诺分三期还清' });
  });

  it('A4: a visitor who may not read the sensitive parts sends a form without them, and the stored ones stay', async () => {
    const report = await started('3');
    const evidence = await photos(2);
    expect((await send({ ...visitReportData(report, evidence), familyFinances: '父亲务工，年收入约三万元' }, 'draft')).status).toBe(201);
    const asTeacher = (await getReport(report.id, teacherA)).body;
    expect(asTeacher.redacted).toEqual(['familyFinances']);
    // The teacher's page leaves the redacted part out of what it sends.
    const submitted = await send(visitReportData(asTeacher, evidence), 'submitted', teacherA);
    expect(submitted.status).toBe(201);
    expect((await getReport(report.id)).body).toMatchObject({ state: 'submitted', content: { familyFinances: '父亲务工，年收入约三万元' } });
  });
});
