import type { Types } from 'mongoose';
import { StudentModel } from './student.model';

/**
 * Student number → archive id, so that naming a student by number (forms, rosters, n8n) costs one read by
 * `_id` — the one lookup every engine serves from an index — instead of a search of the archives.
 *
 * A remembered id is only a hint: callers read the archive by that id and keep it only when its number
 * still matches (`forget` otherwise), so an entry can never name the wrong student, whichever service
 * process created or removed the archive. A number not yet known is looked up once and remembered.
 */
export class StudentNumbers {
  private readonly ids = new Map<string, Types.ObjectId>();

  remember(studentNo: string, id: Types.ObjectId): void {
    this.ids.set(studentNo, id);
  }

  /** The id a number was last seen with, if any (a hint: check the archive's number after reading it). */
  known(studentNo: string): Types.ObjectId | undefined {
    return this.ids.get(studentNo);
  }

  forget(studentNo: string): void {
    this.ids.delete(studentNo);
  }

  /** The id a number was last seen with, or a fresh lookup of it; undefined when there is no such student. */
  async idOf(studentNo: string): Promise<Types.ObjectId | undefined> {
    const known = this.ids.get(studentNo);
    if (known) return known;
    const found = await StudentModel.findOne({ studentNo }).select('_id').lean();
    if (found) this.remember(studentNo, found._id);
    return found?._id;
  }
}
