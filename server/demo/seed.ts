import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { academicYearOf } from '../calendar/academic-calendar';
import { CollegeModel } from '../colleges/college.model';
import { actorForUser } from '../identity/actor';
import { createApiKey } from '../identity/identity.service';
import { ROLE_PERMISSIONS, ROLES, type Permission, type Role } from '../identity/roles';
import { hashPassword } from '../identity/secrets';
import { UserModel } from '../identity/user.model';
import { StudentModel } from '../students/student.model';
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
  await StudentModel.insertMany(students);

  const { runWithContext } = await import('../http/request-context');
  const actor = actorForUser(admin, 'user');
  const key = await runWithContext({ requestId: 'demo-seed', actor }, () => createApiKey(actor, { name: 'n8n (demo)', scopes: N8N_SCOPES }));
  const summary = `${colleges.length} colleges, ${users.length + 1} staff, ${students.length.toLocaleString('en')} students`;
  return { created: true, adminUsername: ADMIN, adminPassword, apiKey: key.apiKey, apiKeyScopes: N8N_SCOPES, summary };
}
