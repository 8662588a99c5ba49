import mongoose, { type Types } from 'mongoose';
import { seedDemoData } from '../../server/demo/seed';
import { MentoringStudentClaimModel } from '../../server/mentoring/mentoring-claims';
import { MentoringActivityModel, MentoringGroupModel } from '../../server/mentoring/mentoring-group.model';
import { StudentModel } from '../../server/students/student.model';
import { seedArchives } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * The mentoring settings (C1–C2): with HSB_MENTORING_CROSS_COLLEGE a group may take teachers of other
 * colleges (suggested too, and they read and log for the group they belong to); HSB_MENTORING_INACTIVE_WEEKS
 * sets when a group counts as silent. The refusal without the setting is in mentoring-groups.test.ts.
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let counselorA: Credentials;
let leaderA: Credentials;
const teachersA: Credentials[] = [];
let teacherB: Credentials;
let student: string;

beforeAll(async () => {
  t = await startTestService({ HSB_MENTORING_CROSS_COLLEGE: 'true', HSB_MENTORING_INACTIVE_WEEKS: '2' });
  A = await t.college('XA', '会计学院');
  B = await t.college('XB', '信息学院');
  counselorA = await t.staff('counselor', A);
  leaderA = await t.staff('collegeLeader', A);
  for (let i = 0; i < 2; i++) teachersA.push(await t.staff('teacher', A));
  teacherB = await t.staff('growthMentor', B, 'x.mentor.b');
  await seedArchives(A, 'XS', 1, () => ({ careTier: 'key', specialCategories: ['psychological'], counselor: counselorA.userId }));
  student = String((await StudentModel.findOne({ studentNo: { $regex: '^XS' } }).select('_id').lean())!._id);
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

describe('C1–C2: the mentoring settings', () => {
  it('C1: with HSB_MENTORING_CROSS_COLLEGE a teacher of another college is suggested and may be a member, reading and logging for the group', async () => {
    const suggested = await t.request('GET', `/api/mentoring-groups/suggestions?student=${student}`, { as: counselorA });
    expect(suggested.status).toBe(200);
    expect(suggested.body.items.find((i: { userId: string }) => i.userId === String(teacherB.userId))).toMatchObject({ load: 0, college: { code: 'XB' } });

    const members = [teachersA[0]!, teacherB, teachersA[1]!].map((m, i) => ({ user: String(m.userId), employment: 'partTime', role: i === 0 ? 'leader' : 'member' }));
    // A student of the key tier with a special category counts as special.
    const proposed = await t.request('POST', '/api/mentoring-groups', { as: counselorA, body: { student, members, needs: [{ area: 'mentalHealth' }], plan: '每周谈心' } });
    expect(proposed.status).toBe(201);
    expect((await t.request('POST', `/api/mentoring-groups/${proposed.body.id}/approve`, { as: leaderA })).status).toBe(200);
    expect((await t.request('GET', `/api/mentoring-groups/${proposed.body.id}`, { as: teacherB })).status).toBe(200);
    expect((await t.request('GET', '/api/mentoring-groups?member=me', { as: teacherB })).body.items.map((g: { id: string }) => g.id)).toEqual([proposed.body.id]);
    const logged = await t.request('POST', `/api/mentoring-groups/${proposed.body.id}/activities`, { as: teacherB, body: { at: new Date().toISOString(), kind: 'call', areas: ['mentalHealth'], summary: '视频谈心' } });
    expect(logged.status).toBe(201);
  });

  it('C1: even across colleges, members are staff of teaching roles — a school-wide account is refused, naming the row', async () => {
    const schoolLeader = await t.staff('schoolLeader');
    const members = [teachersA[0]!, schoolLeader, teachersA[1]!].map((m, i) => ({ user: String(m.userId), employment: 'partTime', role: i === 0 ? 'leader' : 'member' }));
    await seedArchives(A, 'XR', 1, () => ({ careTier: 'special', counselor: counselorA.userId }));
    const other = (await StudentModel.findOne({ studentNo: { $regex: '^XR' } }).select('_id').lean())!._id;
    const refused = await t.request('POST', '/api/mentoring-groups', { as: counselorA, body: { student: String(other), members, needs: [{ area: 'values' }], plan: '每周谈心' } });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'MEMBER_INVALID', details: [expect.objectContaining({ path: 'members[1].user' })] });
    expect(refused.body.details[0].messageEn).toContain('teaching role');
  });

  it('C2: HSB_MENTORING_INACTIVE_WEEKS sets when a group is silent (here 2 weeks)', async () => {
    const group = await MentoringGroupModel.findOne({ state: 'active' }).lean();
    const silent = async (days: number) => {
      await MentoringGroupModel.collection.updateOne({ _id: new mongoose.Types.ObjectId(String(group!._id)) }, { $set: { lastActivityAt: new Date(Date.now() - days * 86_400_000) } });
      return (await t.request('GET', '/api/mentoring-groups/inactive', { as: leaderA })).body;
    };
    expect((await silent(10)).items).toEqual([]);
    const listed = await silent(15);
    expect(listed.weeks).toBe(2);
    expect(listed.items).toEqual([expect.objectContaining({ id: String(group!._id), weeksSilent: 2 })]);
  });

  it('C2: the demo data has an active group with its log, and its student is held by it', async () => {
    const before = await MentoringGroupModel.countDocuments({});
    await seedDemoData(100);
    const demo = await MentoringGroupModel.find({}).sort({ _id: -1 }).limit(1).lean();
    expect(await MentoringGroupModel.countDocuments({})).toBe(before + 1);
    expect(demo[0]).toMatchObject({ state: 'active', activityCount: 2 });
    expect(await MentoringActivityModel.countDocuments({ group: demo[0]!._id })).toBe(2);
    expect(demo[0]!.members.filter((m) => m.role === 'leader')).toHaveLength(1);
    expect(await MentoringStudentClaimModel.findById(String(demo[0]!.student)).lean()).toMatchObject({ group: demo[0]!._id });
  });

  it('C2: a member from another college reads the mentee’s archive while the group works, not after it closed; the group and its log stay readable', async () => {
    await seedArchives(A, 'XQ', 1, () => ({ careTier: 'special', counselor: counselorA.userId }));
    const mentee = String((await StudentModel.findOne({ studentNo: { $regex: '^XQ' } }).select('_id').lean())!._id);
    const members = [teachersA[0]!, teacherB, teachersA[1]!].map((m, i) => ({ user: String(m.userId), employment: 'partTime', role: i === 0 ? 'leader' : 'member' }));
    const proposed = await t.request('POST', '/api/mentoring-groups', { as: counselorA, body: { student: mentee, members, needs: [{ area: 'values' }], plan: '每周谈心' } });
    expect(proposed.status).toBe(201);
    const route = `/api/mentoring-groups/${proposed.body.id}`;
    expect((await t.request('POST', `${route}/approve`, { as: leaderA })).status).toBe(200);
    expect((await t.request('GET', `${route}/mentee`, { as: teacherB })).body).toMatchObject({ id: mentee });
    expect((await t.request('POST', `${route}/activities`, { as: teacherB, body: { at: new Date().toISOString(), kind: 'call', areas: ['values'], summary: '视频谈心' } })).status).toBe(201);
    expect((await t.request('POST', `${route}/close`, { as: teachersA[0]!, body: { outcome: { kind: 'furtherStudy' } } })).status).toBe(200);
    const after = await t.request('GET', `${route}/mentee`, { as: teacherB });
    expect(after.status).toBe(404);
    expect(JSON.stringify(after.body)).not.toContain(mentee);
    expect((await t.request('GET', route, { as: teacherB })).status).toBe(200);
    expect((await t.request('GET', `${route}/activities`, { as: teacherB })).body.total).toBe(1);
    // The college's own staff still read it after closing.
    expect((await t.request('GET', `${route}/mentee`, { as: teachersA[1]! })).status).toBe(200);
  });
});
