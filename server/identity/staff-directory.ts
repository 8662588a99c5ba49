import type { Types } from 'mongoose';
import { ROLES, type Role } from './roles';
import { UserModel } from './user.model';

export interface StaffRef {
  _id: Types.ObjectId;
  username: string;
  displayName: string;
  role: string;
  college?: Types.ObjectId | null;
}

/** Active staff indexed by id and username, for resolving counselors named in rosters and requests. */
export async function staffDirectory(): Promise<Map<string, StaffRef>> {
  const users = await UserModel.find({ active: true }).select('username displayName role college').lean();
  const directory = new Map<string, StaffRef>();
  for (const u of users) {
    const ref = { _id: u._id, username: u.username, displayName: u.displayName, role: u.role, college: u.college };
    directory.set(String(u._id), ref);
    directory.set(u.username, ref);
  }
  return directory;
}

export interface StaffContact {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
}

/** Names and e-mail addresses of staff, for notifications sent by workflows. */
export async function staffContacts(ids: Array<Types.ObjectId | string | null | undefined>): Promise<Map<string, StaffContact>> {
  const wanted = [...new Set(ids.filter((id): id is Types.ObjectId | string => !!id).map(String))];
  const users = wanted.length ? await UserModel.find({ _id: { $in: wanted } }).select('username displayName email').lean() : [];
  return new Map(users.map((u) => [String(u._id), { id: String(u._id), username: u.username, displayName: u.displayName, email: u.email ?? null }]));
}

/** Active staff of one role (of one college, for college-scoped roles), for telling approvers what awaits them. */
export async function staffWithRole(role: Role, college?: Types.ObjectId | null): Promise<StaffContact[]> {
  const filter: Record<string, unknown> = { role, active: true, ...(college ? { college } : {}) };
  const users = await UserModel.find(filter).select('username displayName email').limit(50).lean<Array<{ _id: Types.ObjectId; username: string; displayName: string; email?: string | null }>>();
  return users.map((u) => ({ id: String(u._id), username: u.username, displayName: u.displayName, email: u.email ?? null }));
}

/** The active college leaders of each of these colleges, in one query: who is told about a college's business. */
export async function collegeLeadersOf(colleges: Types.ObjectId[]): Promise<Map<string, StaffContact[]>> {
  const byCollege = new Map<string, StaffContact[]>(colleges.map((c) => [String(c), []]));
  if (colleges.length === 0) return byCollege;
  const users = await UserModel.find({ role: 'collegeLeader', active: true, college: { $in: colleges } }).select('username displayName email college').lean();
  for (const u of users) {
    byCollege.get(String(u.college))?.push({ id: String(u._id), username: u.username, displayName: u.displayName, email: u.email ?? null });
  }
  return byCollege;
}

export interface StaffSearch {
  /** Part of the name or the start of the username. */
  text?: string;
  /** Only staff of this college (other colleges' staff are not listed to a college-scoped caller). */
  college?: Types.ObjectId;
  role?: Role;
  limit: number;
  skip: number;
}

/**
 * Staff for pickers (the visitors of a visit plan): names, usernames and roles only. A college-scoped
 * caller sees the staff of its own college and the school-wide staff (school leaders, student affairs).
 */
export async function searchStaff(caller: { college?: Types.ObjectId | null; collegeScoped: boolean }, query: StaffSearch) {
  const filter: Record<string, unknown> = { active: true, role: query.role ?? { $ne: 'admin' } };
  if (query.role === 'admin') filter._id = { $in: [] };
  if (query.college) {
    filter.college = caller.collegeScoped && !(caller.college && query.college.equals(caller.college)) ? { $in: [] } : query.college;
  } else if (caller.collegeScoped) {
    filter.$or = [{ college: caller.college ?? { $in: [] } }, { college: null }];
  }
  if (query.text) {
    const escaped = query.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    filter.$and = [{ $or: [{ username: { $regex: `^${escaped.toLowerCase()}` } }, { displayName: { $regex: escaped } }] }];
  }
  const [users, total] = await Promise.all([
    UserModel.find(filter).sort({ displayName: 1, _id: 1 }).skip(query.skip).limit(query.limit).select('username displayName role college').lean(),
    UserModel.countDocuments(filter),
  ]);
  return {
    items: users.map((u) => ({ id: String(u._id), username: u.username, displayName: u.displayName, role: u.role, roleZh: ROLES[u.role as Role].zh, college: u.college ? String(u.college) : null })),
    total,
  };
}
