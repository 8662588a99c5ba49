import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { academicYearOf } from '../calendar/academic-calendar';
import { CollegeModel } from '../colleges/college.model';
import { actorForUser } from '../identity/actor';
import { createApiKey } from '../identity/identity.service';
import { ROLE_PERMISSIONS, ROLES, type Permission, type Role } from '../identity/roles';
import { hashPassword } from '../identity/secrets';
import { UserModel } from '../identity/user.model';
import { claimStudent } from '../mentoring/mentoring-claims';
import { MentoringActivityModel, MentoringGroupModel } from '../mentoring/mentoring-group.model';
import { StudentModel } from '../students/student.model';
import { addToDirectory } from '../students/directory/student-directory';
import { SURNAMES, GIVEN_NAMES, COLLEGES, PROVINCES, RELATIONS } from './demo-vocabulary';

/** Small deterministic generator so the demo looks the same on every machine. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

export interface DemoResult {
  created: boolean;
  adminUsername: string;
  adminPassword?: string;
  apiKey?: string;
  apiKeyScopes: Permission[];
  /** One line: what the demo holds. */
  summary?: string;
}

const ADMIN = 'admin';
/**
 * The demo key runs every shipped workflow and node operation: what student affairs (who builds the flows)
 * may do, less managing people and keys.
 */
const N8N_SCOPES: Permission[] = ROLE_PERMISSIONS.studentAffairs.filter((p) => p !== 'apiKeys:manage' && p !== 'users:manage');

/**
 * On an empty database: colleges, staff of every role, ~1,000 students with guardians, an admin
 * password and an API key (printed once by the caller). Does nothing when the admin already exists.
 */
export async function seedDemoData(studentsPerCollege = 250): Promise<DemoResult> {
  if (await UserModel.exists({ username: ADMIN })) return { created: false, adminUsername: ADMIN, apiKeyScopes: N8N_SCOPES };
  const random = generator(20250901);
  const colleges = await CollegeModel.insertMany(COLLEGES.map((c) => ({ code: c.code, name: c.name })));
  const staffPassword = await hashPassword('demo-password');
  const adminPassword = randomBytes(9).toString('base64url');
  const admin = await UserModel.create({ username: ADMIN, displayName: '系统管理员', role: 'admin', email: 'admin@demo.edu.cn', passwordHash: await hashPassword(adminPassword) });

  const staff: Array<{ username: string; displayName: string; role: Role; college?: Types.ObjectId; passwordHash: string; email?: string }> = [];
  for (const role of ['studentAffairs', 'schoolLeader'] as Role[]) {
    staff.push({ username: role.toLowerCase(), displayName: `${random.pick(SURNAMES)}${random.pick(GIVEN_NAMES)}（${ROLES[role].zh}）`, role, passwordHash: staffPassword, email: `${role.toLowerCase()}@demo.edu.cn` });
  }
  colleges.forEach((college, index) => {
    for (const role of ['collegeLeader', 'counselor', 'academicMentor', 'growthMentor', 'teacher'] as Role[]) {
      staff.push({ username: `${role.toLowerCase()}${index + 1}`, displayName: `${random.pick(SURNAMES)}${random.pick(GIVEN_NAMES)}`, role, college: college._id, passwordHash: staffPassword, email: `${role.toLowerCase()}${index + 1}@demo.edu.cn` });
    }
  });
  const users = await UserModel.insertMany(staff);

  const currentYear = academicYearOf(new Date());
  const students = colleges.flatMap((college, collegeIndex) => {
    const counselor = users.find((u) => u.role === 'counselor' && u.college?.equals(college._id));
    const spec = COLLEGES[collegeIndex]!;
    return Array.from({ length: studentsPerCollege }, (_, i) => {
      const grade = String(2022 + (i % 4));
      const surname = random.pick(SURNAMES);
      const tierRoll = random.next();
      return {
        studentNo: `${grade}${spec.code}${String(i + 1).padStart(4, '0')}`,
        name: `${surname}${random.pick(GIVEN_NAMES)}`,
        gender: random.next() < 0.5 ? 'male' : 'female',
        birthDate: new Date(Date.UTC(Number(grade) - 18, Math.floor(random.next() * 12), 1 + Math.floor(random.next() * 28))),
        college: college._id,
        major: random.pick(spec.majors),
        grade,
        className: `${random.pick(spec.majors)}${(i % 3) + 1}班`,
        counselor: counselor?._id,
        guardians: [{ name: `${surname}${random.pick(GIVEN_NAMES)}`, relation: random.pick(RELATIONS), phone: `13${String(Math.floor(random.next() * 1e9)).padStart(9, '0')}` }],
        homeAddress: `${random.pick(PROVINCES)}某市某区${1 + Math.floor(random.next() * 200)}号`,
        careTier: tierRoll < 0.05 ? 'special' : tierRoll < 0.15 ? 'key' : 'general',
        // Most archives were confirmed this academic year; the rest show up as stale (A3).
        lastConfirmedYear: random.next() < 0.85 ? currentYear : undefined,
        revision: 0,
      };
    });
  });
  const stored = await StudentModel.insertMany(students);
  await addToDirectory(stored.map((st) => st.toObject()));
  await seedMentoringGroup(users, stored.find((st) => st.careTier === 'special' && st.college.equals(colleges[0]!._id)));

  const { runWithContext } = await import('../http/request-context');
  const actor = actorForUser(admin, 'user');
  const key = await runWithContext({ requestId: 'demo-seed', actor }, () => createApiKey(actor, { name: 'n8n (demo)', scopes: N8N_SCOPES }));
  const summary = `${colleges.length} colleges, ${users.length + 1} staff, ${students.length.toLocaleString('en')} students`;
  return { created: true, adminUsername: ADMIN, adminPassword, apiKey: key.apiKey, apiKeyScopes: N8N_SCOPES, summary };
}

/** One active mentoring group (C1–C2) of the first college with two activities, for the demo's mentoring pages. */
async function seedMentoringGroup(users: Array<{ _id: Types.ObjectId; displayName: string; role: string; college?: Types.ObjectId | null; email?: string | null }>, student: { _id: Types.ObjectId; name: string; studentNo: string; major: string; grade: string; college: Types.ObjectId } | undefined): Promise<void> {
  if (!student) return;
  const of = (role: Role) => users.find((u) => u.role === role && u.college?.equals(student.college));
  const [leader, mentor, teacher, approver] = [of('academicMentor'), of('growthMentor'), of('teacher'), of('collegeLeader')];
  if (!leader || !mentor || !teacher || !approver) return;
  const day = 86_400_000;
  const now = Date.now();
  const since = new Date(now - 30 * day);
  const member = (u: typeof leader, role: 'leader' | 'member', employment: 'fullTime' | 'partTime') => ({ user: u._id, name: u.displayName, email: u.email ?? undefined, college: u.college ?? undefined, employment, role, since });
  const members = [member(leader, 'leader', 'fullTime'), member(mentor, 'member', 'partTime'), member(teacher, 'member', 'partTime')];
  const group = await MentoringGroupModel.create({
    state: 'active', student: student._id, studentName: student.name, studentNo: student.studentNo, major: student.major, grade: student.grade, college: student.college,
    needs: [{ area: 'studyInterest', note: '专业课兴趣不足' }, { area: 'practicalDifficulties', note: '家庭经济困难' }], plan: '每两周面谈一次；帮助申请助学金与勤工助学岗位；毕业前跟进就业。',
    members, memberHistory: members.map((m) => ({ at: since, by: approver._id, byName: approver.displayName, change: 'added', userId: m.user, name: m.name, reason: '组建小组' })),
    proposedBy: approver._id, proposedByName: approver.displayName, proposedAt: since, approvedBy: approver._id, approvedByName: approver.displayName, approvedAt: since,
    lastActivityAt: new Date(now - 3 * day), activityCount: 2, revision: 1,
  });
  await claimStudent(student._id, group._id, since);
  await MentoringActivityModel.insertMany([
    { group: group._id, college: student.college, at: new Date(now - 17 * day), kind: 'meeting', areas: ['studyInterest'], summary: '面谈了解专业课学习困难，约定每周两次晚自习。', nextStep: '联系任课教师答疑', by: leader._id, byName: leader.displayName },
    { group: group._id, college: student.college, at: new Date(now - 3 * day), kind: 'call', areas: ['practicalDifficulties'], summary: '电话沟通助学金申请材料，已提交学院。', nextStep: '跟进评审结果', by: mentor._id, byName: mentor.displayName },
  ]);
}
