import mongoose from 'mongoose';
import { startRecordingServer } from '../support/recording-server';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { pdfText } from '../support/pdf-text';

let t: TestService;
let counselorA: Credentials;
let counselorB: Credentials;
let leaderA: Credentials;
let officer: Credentials;
let teacherA: Credentials;

async function student(no: string, careTier = '一般', college = 'A', counselor?: Credentials) {
  const created = await t.request('POST', '/api/students', {
    as: officer,
    body: { studentNo: no, name: `学生${no}`, gender: '女', birthDate: '2006-05-01', college, major: '会计', grade: '2024', className: '会计1班',
      counselor: (counselor ?? counselorA).username, careTier, guardians: [{ name: '王建国', relation: '父亲', phone: '13700000000' }] },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

function contact(studentRef: string, extra: Record<string, unknown> = {}) {
  return { student: studentRef, guardianName: '王建国', channel: 'phone', topics: ['grades'], summary: '沟通本学期学习情况', parentFeedback: '家长希望多关注数学', ...extra };
}

beforeAll(async () => {
  t = await startTestService({ HSB_CONTACT_DAYS_SPECIAL: '14', HSB_CONTACT_DAYS_GENERAL: '90', HSB_CASE_DAYS_EMERGENCY: '1' });
  const a = await t.college('A');
  const b = await t.college('B');
  counselorA = await t.staff('counselor', a);
  counselorB = await t.staff('counselor', b);
  leaderA = await t.staff('collegeLeader', a);
  teacherA = await t.staff('teacher', a);
  officer = await t.staff('studentAffairs');
});
afterAll(async () => {
  await t.stop();
});

describe('B1/F2 contact log', () => {
  it('logs a contact with channel, topics, summary, parent feedback and follow-ups', async () => {
    const id = await student('2024L0001');
    const logged = await t.request('POST', '/api/contacts', { as: counselorA, body: contact(id, { followUps: [{ action: '下周回访', due: '2026-12-01' }] }) });
    expect(logged.status).toBe(201);
    expect(logged.body).toMatchObject({ channel: 'phone', topics: ['grades'], parentFeedback: '家长希望多关注数学', followUps: [{ action: '下周回访' }] });
    const list = await t.request('GET', `/api/contacts?student=${id}`, { as: counselorA });
    expect(list.body.total).toBe(1);
  });

  it('requires the parents’ feedback and a known channel, field by field', async () => {
    const id = await student('2024L0002');
    const bad = await t.request('POST', '/api/contacts', { as: counselorA, body: contact(id, { parentFeedback: '', channel: 'pigeon', topics: [] }) });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['channel', 'parentFeedback', 'topics']);
    expect(bad.body.details.find((d: { path: string }) => d.path === 'parentFeedback').message).toBe('家长反馈意见为必填项');
  });

  it('cannot log a contact for another college’s student', async () => {
    const id = await student('2024L0003');
    expect((await t.request('POST', '/api/contacts', { as: counselorB, body: contact(id) })).status).toBe(404);
  });
});

describe('B2 contact cadence by care tier', () => {
  it('lists a special student as overdue after 14 days and a general one only after 90, per counselor', async () => {
    const special = await student('2024L0101', '特殊');
    const general = await t.request('POST', '/api/students', {
      as: officer,
      body: { studentNo: '2024L0102', name: '普通生', gender: '男', birthDate: '2006-05-01', college: 'A', major: '会计', grade: '2024', className: '会计1班', counselor: counselorA.username },
    });
    const twentyDaysAgo = new Date(Date.now() - 20 * 86_400_000).toISOString();
    await t.request('POST', '/api/contacts', { as: counselorA, body: contact(special, { contactedAt: twentyDaysAgo }) });
    await t.request('POST', '/api/contacts', { as: counselorA, body: contact(general.body.id, { contactedAt: twentyDaysAgo }) });
    const overdue = await t.request('GET', `/api/contacts/overdue?counselor=${counselorA.userId}`, { as: counselorA });
    const numbers = overdue.body.counselors.flatMap((c: { students: Array<{ studentNo: string }> }) => c.students.map((s) => s.studentNo));
    expect(numbers).toContain('2024L0101');
    const listed = overdue.body.counselors.flatMap((c: { students: unknown[] }) => c.students).find((s: { studentNo: string }) => s.studentNo === '2024L0101');
    expect(listed).toMatchObject({ name: '学生2024L0101', className: '会计1班' });
    expect(numbers).not.toContain('2024L0102');
    expect(overdue.body.intervals).toEqual({ special: 14, key: 30, general: 90 });
    await t.request('POST', '/api/contacts', { as: counselorA, body: contact(special) });
    const after = await t.request('GET', `/api/contacts/overdue?counselor=${counselorA.userId}`, { as: counselorA });
    expect(after.body.counselors.flatMap((c: { students: Array<{ studentNo: string }> }) => c.students.map((s) => s.studentNo))).not.toContain('2024L0101');
    const otherCollege = await t.request('GET', '/api/contacts/overdue', { as: counselorB });
    expect(JSON.stringify(otherCollege.body)).not.toContain('2024L01');
  });

  it('bounds the overdue list and says how many there are in all', async () => {
    for (const no of ['2024L0901', '2024L0902', '2024L0903']) await student(no, '特殊');
    const all = await t.request('GET', `/api/contacts/overdue?counselor=${counselorA.userId}`, { as: counselorA });
    const count = (body: { counselors: Array<{ students: unknown[] }> }) => body.counselors.reduce((n, c) => n + c.students.length, 0);
    expect(all.body.truncated).toBe(false);
    expect(all.body.total).toBe(count(all.body));
    expect(all.body.total).toBeGreaterThanOrEqual(3);
    const bounded = await t.request('GET', `/api/contacts/overdue?counselor=${counselorA.userId}&limit=2`, { as: counselorA });
    expect([bounded.status, count(bounded.body), bounded.body.truncated, bounded.body.total]).toEqual([200, 2, true, all.body.total]);
  });
});

describe('B3 awards and penalties are reported to parents', () => {
  it('recording one opens a notify task that only a logged contact closes', async () => {
    const id = await student('2024L0201');
    const penalty = await t.request('POST', '/api/awards', { as: counselorA, body: { student: id, kind: 'penalty', title: '旷课警告', level: 'school', category: 'other', date: '2026-11-01' } });
    expect(penalty.status).toBe(201);
    expect(penalty.body).toMatchObject({ notifyStatus: 'open', goodNews: false });
    const open = await t.request('GET', '/api/awards?notifyStatus=open', { as: counselorA });
    expect(open.body.items.map((a: { id: string }) => a.id)).toContain(penalty.body.id);
    const noContact = await t.request('POST', `/api/awards/${penalty.body.id}/notified`, { as: counselorA, body: { contact: '000000000000000000000000' } });
    expect(noContact.status).toBe(400);
    const otherStudent = await t.request('POST', '/api/contacts', { as: counselorA, body: contact(await student('2024L0202')) });
    expect((await t.request('POST', `/api/awards/${penalty.body.id}/notified`, { as: counselorA, body: { contact: otherStudent.body.id } })).status).toBe(400);
    const logged = await t.request('POST', '/api/contacts', { as: counselorA, body: contact(id, { topics: ['awardsPenalties'] }) });
    const closed = await t.request('POST', `/api/awards/${penalty.body.id}/notified`, { as: counselorA, body: { contact: logged.body.id } });
    expect(closed.body).toMatchObject({ notifyStatus: 'closed', notifyClosedBy: logged.body.id });
  });
});

describe('B4/B7 key-communication cases', () => {
  it('opens a case owned by the counselor with a deadline; a second alert joins it; another department’s alert is routed to the counselor', async () => {
    const id = await student('2024L0301');
    const first = await t.request('POST', '/api/cases', { as: teacherA, body: { student: id, category: 'academic', description: '本学期三门课程不及格' } });
    expect(first.status).toBe(201);
    expect(first.body.case).toMatchObject({ owner: String(counselorA.userId), status: 'open', category: 'academic' });
    const second = await t.request('POST', '/api/cases', { as: officer, body: { student: id, category: 'academic', description: '教务处通报旷课 20 学时', department: '教务处' } });
    expect(second.status).toBe(200);
    expect(second.body.joined).toBe(true);
    expect(second.body.case.id).toBe(first.body.case.id);
    expect(second.body.case.alerts).toHaveLength(2);
    expect(await mongoose.connection.collection('keycases').countDocuments({ student: new mongoose.Types.ObjectId(id) })).toBe(1);
    const other = await t.request('POST', '/api/cases', { as: officer, body: { student: id, category: 'emergency', description: '突发疾病住院' } });
    expect(other.status).toBe(201);
  });

  it('closes only with a logged contact, and whoever raised it sees how it was closed', async () => {
    const id = await student('2024L0302');
    const opened = await t.request('POST', '/api/cases', { as: officer, body: { student: id, category: 'statusChange', description: '申请休学', department: '教务处' } });
    const caseId = opened.body.case.id;
    expect((await t.request('POST', `/api/cases/${caseId}/close`, { as: counselorA, body: { contact: '', resolution: '已沟通' } })).status).toBe(400);
    expect((await t.request('POST', `/api/cases/${caseId}/close`, { as: teacherA, body: { contact: '', resolution: '已沟通' } })).status).toBe(403);
    const logged = await t.request('POST', '/api/contacts', { as: counselorA, body: contact(id, { topics: ['incident'], channel: 'meeting' }) });
    const closed = await t.request('POST', `/api/cases/${caseId}/close`, { as: counselorA, body: { contact: logged.body.id, resolution: '家长同意休学一年，已办理手续' } });
    expect(closed.body).toMatchObject({ status: 'closed', closingContact: logged.body.id, resolution: '家长同意休学一年，已办理手续' });
    const seenByRaiser = await t.request('GET', `/api/cases/${caseId}`, { as: officer });
    expect(seenByRaiser.body).toMatchObject({ status: 'closed', resolution: '家长同意休学一年，已办理手续' });
    expect((await t.request('GET', `/api/cases/${caseId}`, { as: counselorB })).status).toBe(404);
  });

  it('escalates overdue cases once, telling the college leaders (case.overdue)', async () => {
    const receiver = await startRecordingServer();
    await t.request('POST', '/api/webhooks', { as: officer, body: { url: receiver.url, events: ['case.overdue', 'case.opened'], secret: 'a-long-enough-shared-secret' } });
    const id = await student('2024L0303');
    const opened = await t.request('POST', '/api/cases', { as: counselorA, body: { student: id, category: 'emergency', description: '夜间突发急病' } });
    await mongoose.connection.collection('keycases').updateOne({ _id: new mongoose.Types.ObjectId(opened.body.case.id) }, { $set: { deadline: new Date(Date.now() - 3_600_000) } });
    const escalated = await t.request('POST', '/api/cases/escalations', { as: officer });
    const mine = escalated.body.escalated.find((c: { id: string }) => c.id === opened.body.case.id);
    expect(mine.escalateTo.map((l: { username: string }) => l.username)).toEqual([leaderA.username]);
    // Messages to the leaders name the student and the counselor, not database ids.
    expect(mine).toMatchObject({ studentNo: '2024L0303', studentName: '学生2024L0303', className: '会计1班', ownerName: expect.any(String) });
    const again = await t.request('POST', '/api/cases/escalations', { as: officer });
    expect(again.body.escalated.find((c: { id: string }) => c.id === opened.body.case.id)).toBeUndefined();
    const received = await receiver.waitFor(2);
    expect(received.map((r) => r.headers['x-hsb-event'])).toEqual(expect.arrayContaining(['case.opened', 'case.overdue']));
    expect((await t.request('POST', '/api/cases/escalations', { as: counselorA })).status).toBe(403);
    await receiver.close();
  });
});

describe('B5 good-news letters', () => {
  it('a provincial honour produces a printable 喜报; deliveries are recorded per channel', async () => {
    const id = await student('2024L0401');
    const award = await t.request('POST', '/api/awards', { as: counselorA, body: { student: id, kind: 'award', title: '山东省优秀学生<干部>', level: 'provincial', category: 'honour', date: '2026-10-20' } });
    expect(award.body.goodNews).toBe(true);
    const letter = await fetch(`${t.url}/api/awards/${award.body.id}/letter`, { headers: { Cookie: counselorA.cookie! } });
    expect(letter.headers.get('content-type')).toMatch(/text\/html/);
    const html = await letter.text();
    expect(html).toContain('喜报');
    expect(html).toContain('学生2024L0401');
    expect(html).toContain('山东省优秀学生&lt;干部&gt;');
    expect(html).toContain('尊敬的王建国家长');
    const delivered = await t.request('POST', `/api/awards/${award.body.id}/letter/deliveries`, { as: counselorA, body: { channel: 'post', note: '挂号信' } });
    expect(delivered.body.deliveries).toEqual([expect.objectContaining({ channel: 'post', note: '挂号信' })]);
    expect((await t.request('POST', `/api/awards/${award.body.id}/letter/deliveries`, { as: counselorA, body: { channel: 'pigeon' } })).status).toBe(400);
  });

  it('the 喜报 is also a PDF (with a CJK font installed)', async () => {
    const id = await student('2024L0403');
    const award = await t.request('POST', '/api/awards', { as: counselorA, body: { student: id, kind: 'award', title: '国家奖学金', level: 'national', category: 'honour', date: '2026-10-20' } });
    const pdf = await fetch(`${t.url}/api/awards/${award.body.id}/letter.pdf`, { headers: { Cookie: counselorA.cookie! } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(5_000);
    const read = await pdfText(bytes);
    expect(read.pages).toHaveLength(1);
    expect(read.pages[0]).toContain('国家奖学金');
    expect(read.pages[0]).toMatch(/喜\s*报/);
  });

  it('follows the three criteria: school-level honours and ordinary good deeds get none, wide-impact deeds do', async () => {
    const id = await student('2024L0402');
    const record = (body: Record<string, unknown>) => t.request('POST', '/api/awards', { as: counselorA, body: { student: id, kind: 'award', date: '2026-10-01', ...body } });
    expect((await record({ title: '校三好学生', level: 'school', category: 'honour' })).body.goodNews).toBe(false);
    expect((await record({ title: '全国大学生数学建模竞赛一等奖', level: 'national', category: 'competition' })).body.goodNews).toBe(true);
    expect((await record({ title: '拾金不昧', level: 'school', category: 'goodDeed' })).body.goodNews).toBe(false);
    expect((await record({ title: '见义勇为', level: 'city', category: 'goodDeed', wideImpact: true })).body.goodNews).toBe(true);
    const schoolHonour = (await t.request('GET', '/api/awards', { as: counselorA })).body.items.find((a: { title: string }) => a.title === '校三好学生');
    expect((await fetch(`${t.url}/api/awards/${schoolHonour.id}/letter`, { headers: { Cookie: counselorA.cookie! } })).status).toBe(404);
  });
});

describe('liaison forms drive the records', () => {
  it('the key-case form opens a case and the award form records an award', async () => {
    await student('2024L0501');
    const raised = await t.request('POST', '/form/keyCase/submission', { as: teacherA, body: { data: { studentNo: '2024L0501', category: 'cannotFollow', description: '长期请假，无法参加实训' } } });
    expect(raised.status).toBe(201);
    const opened = await t.request('GET', `/api/cases/${raised.body.metadata.linked.id}`, { as: counselorA });
    expect(opened.body).toMatchObject({ category: 'cannotFollow', owner: String(counselorA.userId), status: 'open' });
    const badCase = await t.request('POST', '/form/keyCase/submission', { as: teacherA, body: { data: { studentNo: '2024L0501', category: 'gossip', description: 'x' } } });
    expect(badCase.status).toBe(400);
    expect(badCase.body.details[0].path).toBe('category');

    const recorded = await t.request('POST', '/form/award/submission', {
      as: counselorA,
      body: { data: { studentNo: '2024L0501', kind: 'award', title: '省级技能大赛二等奖', level: 'provincial', category: 'competition', date: '2026-11-05T00:00:00+08:00' } },
    });
    expect(recorded.status).toBe(201);
    const awards = await t.request('GET', '/api/awards?limit=200', { as: counselorA });
    expect(awards.body.items.find((a: { id: string }) => a.id === recorded.body.metadata.linked.id)).toMatchObject({ goodNews: true, notifyStatus: 'open' });
  });
});
