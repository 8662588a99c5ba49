import mongoose, { type Types } from 'mongoose';
import { seedArchives, seededNumber } from './seed-archives';
import type { Credentials, TestService } from './test-service';

export interface MentoringFixture {
  leader: Credentials;
  counselor: Credentials;
  /** Three teachers of the college: the first leads both groups below. */
  teachers: Credentials[];
  /** Two more teachers in no group: the least loaded, suggested first. */
  spare: Credentials[];
  /** Special-tier students of the college, by index; the first two have groups. */
  students: string[];
  /** An active group (approved) for students[0], and a proposed one for students[1]. */
  activeGroup: string;
  proposedGroup: string;
}

/**
 * A college with its leader, a counselor and five teachers, four special-tier students, one active and one
 * proposed mentoring group — made through the service's own API (POST /api/mentoring-groups, …/approve).
 */
export async function mentoringFixture(t: TestService, code: string, collegeName: string): Promise<MentoringFixture> {
  const college = await t.college(code, collegeName);
  const prefix = code.toLowerCase();
  const leader = await t.staff('collegeLeader', college, `${prefix}.leader`);
  const counselor = await t.staff('counselor', college, `${prefix}.counselor`);
  const teachers = [await t.staff('teacher', college, `${prefix}.teacher.a`), await t.staff('teacher', college, `${prefix}.teacher.b`), await t.staff('academicMentor', college, `${prefix}.mentor.c`)];
  const spare = [await t.staff('growthMentor', college, `${prefix}.mentor.d`), await t.staff('teacher', college, `${prefix}.teacher.e`)];
  await seedArchives(college, code, 4, () => ({ careTier: 'special', specialCategories: ['financialHardship'], counselor: counselor.userId }));
  const rows = await mongoose.connection.collection('students').find({ studentNo: { $in: [0, 1, 2, 3].map((i) => seededNumber(code, i)) } }).sort({ studentNo: 1 }).toArray();
  const students = rows.map((row) => String(row._id as Types.ObjectId));

  const propose = async (student: string): Promise<string> => {
    const response = await t.request('POST', '/api/mentoring-groups', {
      as: counselor,
      body: {
        student,
        members: teachers.map((m, i) => ({ user: String(m.userId), employment: i === 0 ? 'fullTime' : 'partTime', role: i === 0 ? 'leader' : 'member' })),
        needs: [{ area: 'studyInterest', note: '对专业课缺乏兴趣' }, { area: 'practicalDifficulties' }],
        plan: '每两周面谈一次，联系勤工助学岗位。',
      },
    });
    if (response.status !== 201) throw new Error(`proposal refused: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.id as string;
  };
  const activeGroup = await propose(students[0]!);
  const approved = await t.request('POST', `/api/mentoring-groups/${activeGroup}/approve`, { as: leader });
  if (approved.status !== 200) throw new Error(`approval refused: ${approved.status} ${JSON.stringify(approved.body)}`);
  const proposedGroup = await propose(students[1]!);
  return { leader, counselor, teachers, spare, students, activeGroup, proposedGroup };
}
