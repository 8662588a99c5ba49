import type { Types } from 'mongoose';
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
