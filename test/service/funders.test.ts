import ExcelJS from 'exceljs';
import mongoose, { Types } from 'mongoose';
import { seedArchives, seededNumber } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * Social resources (E2) over real HTTP on the real database: funders and their funds, awards that never pass
 * the fund (also in a burst of parallel requests, and after a writer died half-way), who reads the awards,
 * the funder's report (names only with consent; the workbook) and the fund-award form.
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let officer: Credentials;
let leaderA: Credentials;
let leaderB: Credentials;
let teacherA: Credentials;
let funder: string;

const noA = (i: number) => seededNumber('FA', i);
const noB = (i: number) => seededNumber('FB', i);
const fund = async (amount: number, name = `助学金${amount}`) => {
  const created = await t.request('POST', `/api/funders/${funder}/funds`, { as: officer, body: { kind: 'grant', name, year: 2027, amount, criteria: '家庭经济困难、品学兼优' } });
  expect(created.status).toBe(201);
  return created.body as { id: string; awarded: number; remaining: number; revision: number };
};
const award = (fundId: string, student: string, amount: number, nameConsent = false) =>
  t.request('POST', `/api/funds/${fundId}/awards`, { as: officer, body: { student, amount, date: '2027-03-15', reason: '家庭经济困难，学习刻苦', nameConsent } });
const storedSum = async (fundId: string) => {
  const awards = await mongoose.connection.collection('fundawards').find({ fund: new Types.ObjectId(fundId) }).toArray();
  return { count: awards.length, sum: awards.reduce((s, a) => s + (a.amount as number), 0) };
};

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A', '会计学院');
  B = await t.college('B', '信息学院');
  officer = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', A);
  leaderB = await t.staff('collegeLeader', B);
  teacherA = await t.staff('teacher', A);
  await seedArchives(A, 'FA', 20, (i) => ({ grade: '2025', major: i % 2 ? '审计' : '会计', specialCategories: ['financialHardship'] }));
  await seedArchives(B, 'FB', 3, () => ({ grade: '2024', major: '软件工程' }));
  const created = await t.request('POST', '/api/funders', { as: officer, body: { kind: 'company', name: '星火科技有限公司', contact: '王经理 010-12345678' } });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ kind: 'company', kindLabel: '企业', name: '星火科技有限公司' });
  funder = created.body.id;
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

describe('E2 funds: awards never exceed the fund', () => {
  it('E2: awards within the fund succeed; one that would pass it is refused with FUND_EXCEEDED under amount', async () => {
    const f = await fund(1000);
    expect(f).toMatchObject({ awarded: 0, remaining: 1000 });
    expect((await award(f.id, noA(0), 600)).status).toBe(201);
    const over = await award(f.id, noA(1), 500);
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('FUND_EXCEEDED');
    expect(over.body.details).toEqual([expect.objectContaining({ path: 'amount', message: expect.stringContaining('400') })]);
    expect((await award(f.id, noA(1), 400)).status).toBe(201);
    expect((await award(f.id, noA(2), 1)).status).toBe(422);
    const read = await t.request('GET', `/api/funds/${f.id}`, { as: leaderA });
    expect(read.body).toMatchObject({ awarded: 1000, remaining: 0 });
    expect(await storedSum(f.id)).toEqual({ count: 2, sum: 1000 });
    expect((await t.request('POST', `/api/funds/${f.id}/awards`, { as: leaderA, body: { student: noA(3), amount: 1, date: '2027-03-15', reason: 'x', nameConsent: false } })).status).toBe(403);
  });

  it('E2: of a burst of parallel awards exactly floor(amount / award) succeed, and awarded is the sum of the stored awards', async () => {
    const f = await fund(1000, '并发测试助学金');
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => award(f.id, noA(i), 300)));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(Math.floor(1000 / 300));
    expect(statuses.filter((s) => s === 422)).toHaveLength(10 - 3);
    expect(burst.filter((r) => r.status === 422).every((r) => r.body.code === 'FUND_EXCEEDED')).toBe(true);
    const read = await t.request('GET', `/api/funds/${f.id}`, { as: officer });
    expect(read.body).toMatchObject({ awarded: 900, remaining: 100 });
    expect(await storedSum(f.id)).toEqual({ count: 3, sum: 900 });
    const listed = await t.request('GET', `/api/funds/${f.id}/awards`, { as: officer });
    expect(listed.body.items.map((a: { amount: number }) => a.amount)).toEqual([300, 300, 300]);
  });

  it('E2: an award whose writer died after deciding it is completed by the next reader, never counted twice', async () => {
    const f = await fund(500, '中断测试助学金');
    const student = await mongoose.connection.collection('students').findOne({ studentNo: noA(5) });
    const awardId = new Types.ObjectId();
    // What a crash right after the decision leaves: the ledger entry, no award, the fund's total not moved.
    await mongoose.connection.collection('fundledgers').insertOne({
      _id: `${f.id}:${f.revision + 1}` as never, fund: new Types.ObjectId(f.id), revision: f.revision + 1, award: awardId, amount: 200, awardedAfter: 200, at: new Date(),
      record: { fund: new Types.ObjectId(f.id), funder: new Types.ObjectId(funder), year: 2027, student: student!._id, college: A, studentNo: noA(5), studentName: student!.name, grade: '2025', major: '审计', amount: 200, date: new Date('2027-03-01'), reason: '中断前的决定', nameConsent: false, revision: f.revision + 1, createdBy: officer.userId },
    });
    expect(await storedSum(f.id)).toEqual({ count: 0, sum: 0 });
    expect((await award(f.id, noA(6), 400)).status).toBe(422);
    expect((await award(f.id, noA(6), 300)).status).toBe(201);
    const read = await t.request('GET', `/api/funds/${f.id}`, { as: officer });
    expect(read.body).toMatchObject({ awarded: 500, remaining: 0 });
    expect(await storedSum(f.id)).toEqual({ count: 2, sum: 500 });
  });
});

describe('E2 funds: scope and the funder’s report', () => {
  let reportFund: { id: string };
  beforeAll(async () => {
    reportFund = await fund(10_000, '星火奖学金');
    expect((await award(reportFund.id, noA(10), 3000, true)).status).toBe(201);
    expect((await award(reportFund.id, noA(11), 2000, false)).status).toBe(201);
    expect((await award(reportFund.id, noB(0), 1000, false)).status).toBe(201);
    const activity = await t.request('POST', `/api/funders/${funder}/activities`, { as: officer, body: { kind: 'lecture', title: '职业规划讲座', date: '2027-04-20', participants: 120, students: [noA(10)] } });
    expect(activity.status).toBe(201);
    const unknown = await t.request('POST', `/api/funders/${funder}/activities`, { as: officer, body: { kind: 'practice', title: '企业参观', date: '2027-04-21', participants: 30, students: [noA(10), '2099X0000'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([expect.objectContaining({ path: 'students[1]' })]);
  });

  it('E2: another college’s leader sees only their own college’s awards; teachers are refused', async () => {
    const asB = await t.request('GET', `/api/funds/${reportFund.id}/awards`, { as: leaderB });
    expect(asB.status).toBe(200);
    expect(asB.body.items.map((a: { student: { studentNo: string } }) => a.student.studentNo)).toEqual([noB(0)]);
    const asA = await t.request('GET', `/api/funds/${reportFund.id}/awards`, { as: leaderA });
    expect(asA.body.items.map((a: { student: { studentNo: string } }) => a.student.studentNo).sort()).toEqual([noA(10), noA(11)]);
    const reportB = await t.request('GET', `/api/funders/${funder}/report?year=2027`, { as: leaderB });
    expect(reportB.body.awards.every((a: { college?: string; student: { grade: string } }) => a.student.grade === '2024')).toBe(true);
    expect(reportB.body.awards).toHaveLength(1);
    expect((await t.request('GET', `/api/funds/${reportFund.id}/awards`, { as: teacherA })).status).toBe(403);
    expect((await t.request('GET', `/api/funders/${funder}/report?year=2027`, { as: teacherA })).status).toBe(403);
    expect((await t.request('POST', '/api/funders', { as: leaderA, body: { kind: 'alumnus', name: '校友' } })).status).toBe(403);
  });

  it('E2: the report names a student only with consent (else 某同学 with grade and major); the workbook says the same', async () => {
    const report = await t.request('GET', `/api/funders/${funder}/report?year=2027`, { as: officer });
    expect(report.status).toBe(200);
    const rows = report.body.awards.filter((a: { fund: string }) => a.fund === reportFund.id);
    expect(rows).toEqual([
      expect.objectContaining({ amount: 3000, fundName: '星火奖学金', student: { name: '学生FA10', grade: '2025', major: '会计' } }),
      expect.objectContaining({ amount: 2000, student: { name: '某同学', grade: '2025', major: '审计' } }),
      expect.objectContaining({ amount: 1000, student: { name: '某同学', grade: '2024', major: '软件工程' } }),
    ]);
    const text = JSON.stringify(report.body);
    expect(text).not.toContain('学生FA11');
    expect(text).not.toContain('学生FB0');
    expect(text).not.toContain(noA(10));
    expect(report.body.activities).toEqual([expect.objectContaining({ kind: 'lecture', kindLabel: '讲座', title: '职业规划讲座', participants: 120 })]);
    expect(report.body.funds.find((f: { id: string }) => f.id === reportFund.id)).toMatchObject({ amount: 10_000, awarded: 6000, remaining: 4000 });

    const response = await fetch(`${t.url}/api/funders/${funder}/report?year=2027&format=xlsx`, { headers: { Cookie: officer.cookie! } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = workbook.getWorksheet('受助学生')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '项目', '学生', '年级', '专业', '金额（元）', '日期', '事由']);
    const cells = sheet.getSheetValues().slice(2).filter((r) => Array.isArray(r) && r[1] === '星火奖学金').map((r) => (r as unknown[]).slice(2, 6));
    expect(cells).toEqual([['学生FA10', '2025', '会计', 3000], ['某同学', '2025', '审计', 2000], ['某同学', '2024', '软件工程', 1000]]);
    const all = JSON.stringify(sheet.getSheetValues());
    expect(all).not.toContain('学生FA11');
    expect(workbook.getWorksheet('活动')!.getRow(2).values).toEqual([undefined, '职业规划讲座', '讲座', '2027-04-20', 120]);
  });
});

describe('E2 fund-award form', () => {
  it('E2: the form submitted through the Form.io endpoint makes the award; a too-large amount comes back under amount', async () => {
    const f = await fund(800, '表单助学金');
    const submit = (amount: number, studentNo: string) =>
      t.request('POST', '/form/fundAward/submission', { as: officer, body: { data: { fund: f.id, studentNo, amount, date: '2027-05-01T00:00:00+08:00', reason: '学业优秀', nameConsent: true, submit: true } } });
    const made = await submit(500, noA(15));
    expect(made.status).toBe(201);
    expect(made.body.metadata.linked).toEqual({ type: 'fundAward', id: made.body._id });
    expect(await mongoose.connection.collection('fundawards').findOne({ _id: new Types.ObjectId(made.body._id as string) })).toMatchObject({ amount: 500, nameConsent: true, studentNo: noA(15) });

    const submissionsBefore = await mongoose.connection.collection('submissions').countDocuments({ formPath: 'fundAward' });
    const tooMuch = await submit(400, noA(16));
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.name).toBe('ValidationError');
    expect(tooMuch.body.details).toEqual([expect.objectContaining({ path: 'amount', level: 'error', rule: 'FUND_EXCEEDED', message: expect.stringContaining('300'), context: expect.objectContaining({ key: 'amount', path: 'amount' }) })]);
    expect(await mongoose.connection.collection('submissions').countDocuments({ formPath: 'fundAward' })).toBe(submissionsBefore);
    expect((await t.request('GET', `/api/funds/${f.id}`, { as: officer })).body).toMatchObject({ awarded: 500, remaining: 300 });
    expect(await storedSum(f.id)).toEqual({ count: 1, sum: 500 });
  });
});
