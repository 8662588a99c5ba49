import { Types } from 'mongoose';
import { CollegeModel } from './college.model';
import { currentContext } from '../http/request-context';

export interface CollegeRef {
  _id: Types.ObjectId;
  code: string;
  name: string;
}

/**
 * All colleges, indexed by id, code and name, for resolving what people type in rosters. Read once per
 * request (however many records of it are presented) and at every call outside one.
 */
export function collegeDirectory(): Promise<Map<string, CollegeRef>> {
  const context = currentContext();
  if (!context) return readCollegeDirectory();
  context.collegeDirectory ??= readCollegeDirectory();
  return context.collegeDirectory;
}

async function readCollegeDirectory(): Promise<Map<string, CollegeRef>> {
  const colleges = await CollegeModel.find({}).lean();
  const directory = new Map<string, CollegeRef>();
  for (const c of colleges) {
    const ref = { _id: c._id, code: c.code, name: c.name };
    directory.set(String(c._id), ref);
    directory.set(c.code, ref);
    directory.set(c.name, ref);
  }
  return directory;
}

export async function findCollege(idOrCode: string): Promise<CollegeRef | undefined> {
  return (await collegeDirectory()).get(idOrCode);
}

export async function listColleges(): Promise<CollegeRef[]> {
  return CollegeModel.find({}).sort({ code: 1 }).lean();
}
