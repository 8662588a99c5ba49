import mongoose from 'mongoose';
import { startRecordingServer } from '../support/recording-server';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let officer: Credentials;
let counselorA: Credentials;
let teacherA: Credentials;

async function student(no: string) {
  const created = await t.request('POST', '/api/students', {
    as: officer,
    body: { studentNo: no, name: `学生${no}`, gender: '女', birthDate: '2006-05-01', college: 'A', major: '会计', grade: '2024', className: '会计1班',
      counselor: counselorA.username, careTier: '一般', guardians: [{ name: '王建国', relation: '父亲', phone: '13700000000' }] },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

function openCases(studentId: string, category: string) {
  return mongoose.connection.collection('keycases').countDocuments({ student: new mongoose.Types.ObjectId(studentId), category, status: 'open' });
}

beforeAll(async () => {
  t = await startTestService();
  const a = await t.college('A');
  officer = await t.staff('studentAffairs');
  counselorA = await t.staff('counselor', a);
  teacherA = await t.staff('teacher', a);
  await t.staff('collegeLeader', a);
});
afterAll(async () => {
  await t.stop();
});

describe('one open case per student and category, under concurrency', () => {
  // Runs first: the service upgrades legacy cases before its first case operation.
  it('upgrades cases stored before the open key: the oldest open one keeps it and its alerts', async () => {
    const id = new mongoose.Types.ObjectId(await student('2024C0000'));
    const cases = mongoose.connection.collection('keycases');
    await cases.dropIndex('openKey_1').catch(() => undefined); // a database from before the open key had none
    const base = { student: id, college: await t.college('A'), category: 'academic', owner: counselorA.userId, deadline: new Date(Date.now() + 86_400_000) };
    const alert = (description: string) => ({ at: new Date(), raisedBy: officer.userId, description });
    const escalatedAt = new Date(Date.now() - 10_000);
    const oldest = await cases.insertOne({ ...base, status: 'open', escalatedAt, alerts: [alert('旧预警一')], createdAt: new Date(Date.now() - 60_000) });
    await cases.insertOne({ ...base, status: 'open', alerts: [alert('旧预警二')], createdAt: new Date(Date.now() - 30_000) });
    await cases.insertOne({ ...base, status: 'closed', alerts: [alert('已办结')], createdAt: new Date(Date.now() - 90_000) });

    const joined = await t.request('POST', '/api/cases', { as: officer, body: { student: String(id), category: 'academic', description: '新预警' } });
    expect(joined.status).toBe(200);
    expect(joined.body.case.id).toBe(String(oldest.insertedId));
    expect(joined.body.case.alerts.map((a: { description: string }) => a.description)).toEqual(['旧预警一', '新预警']);
    expect(joined.body.case.escalatedAt).toBe(escalatedAt.toISOString());
    expect(await cases.countDocuments({ openKey: { $exists: false } })).toBe(0);
  });

  it('20 concurrent alerts open exactly one case that keeps all 20 alerts', async () => {
    const id = await student('2024C0001');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request('POST', '/api/cases', { as: i % 2 ? teacherA : officer, body: { student: id, category: 'academic', description: `第 ${i + 1} 条预警` } }),
      ),
    );
    // 201 for the one alert that opened the case, 200 for each that joined it.
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(19).fill(200), 201]);
    expect(new Set(answers.map((a) => a.body.case.id)).size).toBe(1);
    expect(answers.filter((a) => a.body.joined === false)).toHaveLength(1);
    expect(await openCases(id, 'academic')).toBe(1);

    const kept = await t.request('GET', `/api/cases/${answers[0]!.body.case.id}`, { as: counselorA });
    expect(kept.body.alerts.map((a: { description: string }) => a.description).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `第 ${i + 1} 条预警`).sort());
  });

  it('closing frees the key: the next alert opens a new case', async () => {
    const id = await student('2024C0002');
    const first = await t.request('POST', '/api/cases', { as: officer, body: { student: id, category: 'statusChange', description: '申请休学' } });
    const logged = await t.request('POST', '/api/contacts', {
      as: counselorA,
      body: { student: id, guardianName: '王建国', channel: 'phone', topics: ['grades'], summary: '沟通休学事宜', parentFeedback: '家长同意' },
    });
    const closed = await t.request('POST', `/api/cases/${first.body.case.id}/close`, { as: counselorA, body: { contact: logged.body.id, resolution: '已办理休学' } });
    expect(closed.status).toBe(200);
    const again = await t.request('POST', `/api/cases/${first.body.case.id}/close`, { as: counselorA, body: { contact: logged.body.id, resolution: '重复办结' } });
    expect(again.status).toBe(409);

    const next = await t.request('POST', '/api/cases', { as: officer, body: { student: id, category: 'statusChange', description: '申请复学' } });
    expect(next.status).toBe(201);
    expect(next.body.joined).toBe(false);
    expect(next.body.case.id).not.toBe(first.body.case.id);
    expect(next.body.case.alerts).toHaveLength(1);
    expect(await openCases(id, 'statusChange')).toBe(1);
  });

  it('two overlapping escalation runs escalate each overdue case once, with one case.overdue event', async () => {
    const receiver = await startRecordingServer();
    const sub = await t.request('POST', '/api/webhooks', { as: officer, body: { url: receiver.url, events: ['case.overdue'], secret: 'a-long-enough-shared-secret' } });
    expect(sub.status).toBe(201);
    const ids: string[] = [];
    for (const no of ['2024C0101', '2024C0102', '2024C0103', '2024C0104', '2024C0105']) {
      const opened = await t.request('POST', '/api/cases', { as: officer, body: { student: await student(no), category: 'emergency', description: '突发疾病' } });
      ids.push(opened.body.case.id);
    }
    await mongoose.connection
      .collection('keycases')
      .updateMany({ _id: { $in: ids.map((id) => new mongoose.Types.ObjectId(id)) } }, { $set: { deadline: new Date(Date.now() - 3_600_000) } });

    const runs = await Promise.all([t.request('POST', '/api/cases/escalations', { as: officer }), t.request('POST', '/api/cases/escalations', { as: officer })]);
    expect(runs.map((r) => r.status)).toEqual([200, 200]);
    const escalatedIds = runs.flatMap((r) => r.body.escalated.map((c: { id: string }) => c.id)).filter((id: string) => ids.includes(id));
    expect(escalatedIds.sort()).toEqual([...ids].sort());
    const later = await t.request('GET', `/api/cases/${ids[0]}`, { as: officer });
    expect(later.body.escalatedAt).not.toBeNull();

    await receiver.waitFor(ids.length);
    await new Promise((r) => setTimeout(r, 300));
    const events = receiver.received.map((r) => JSON.parse(r.body) as { event: string; data: { id: string } });
    expect(events.filter((e) => e.event === 'case.overdue').map((e) => e.data.id).sort()).toEqual([...ids].sort());
    await receiver.close();
  });
});
