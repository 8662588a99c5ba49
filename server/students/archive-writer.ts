import type { Types } from 'mongoose';
import { publishEvent } from '../events/event-bus';
import { ApiError, problems } from '../http/problem';
import type { Actor } from '../identity/actor';
import { UserModel } from '../identity/user.model';
import type { FieldChange } from './archive-changes';
import { snapshotOf } from './archive-changes';
import { ArchiveRevisionModel, revisionId } from './archive-revision.model';
import { addToDirectory, directoryMayBeBehind, recordInDirectory } from './directory/student-directory';
import { StudentModel } from './student.model';

export type RevisionSource = 'api' | 'import' | 'confirm' | 'visit' | 'undo';

/** A claim whose archive write never landed (the writer died in between) is given up after this long. */
const ORPHANED_CLAIM_MS = 60_000;

export class RevisionConflictError extends ApiError {
  constructor(studentNo: string, expected: number) {
    super(
      409,
      'REVISION_CONFLICT',
      `The archive of ${studentNo} was changed by someone else after revision ${expected}; reload it and try again`,
      `学生 ${studentNo} 的档案在版本 ${expected} 之后已被他人修改，请刷新后重试`,
      [{ path: 'revision', message: `档案已更新，当前版本不是 ${expected}`, messageEn: `the archive is no longer at revision ${expected}`, rule: 'revision' }],
    );
  }
}

export interface ArchiveWrite {
  /** The archive as it was read, before the change: `_id`, `studentNo`, `revision` and every field. */
  before: Record<string, unknown> & { _id: Types.ObjectId; studentNo: string; revision?: number; college?: Types.ObjectId };
  /** The fields to set (only what changed), sealed ciphertexts included. */
  set: Record<string, unknown>;
  changes: FieldChange[];
  source: RevisionSource;
  academicYear: string;
  /** Counts as this academic year's confirmation of the archive (A3). */
  confirms: boolean;
  importJob?: Types.ObjectId;
  /** This write creates the archive. */
  creates?: boolean;
  /** Where the change came from, when not typed into the archive itself: a confirmed proposal of a visit report (D8). */
  origin?: { visitReport: string; version: number; proposal: string };
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

function revisionRecord(actor: Actor, write: ArchiveWrite, revision: number, at: Date) {
  const after = { ...write.before, ...write.set };
  return {
    _id: revisionId(write.before._id, revision),
    student: write.before._id,
    revision,
    academicYear: write.academicYear,
    at,
    source: write.source,
    actor: { userId: actor.userId, username: actor.username },
    changes: write.changes,
    snapshot: snapshotOf(after),
    college: after.college,
    importJob: write.importJob,
    creates: write.creates,
    origin: write.origin,
  };
}

/**
 * A claim left by a writer that died between claiming and writing would block the archive for good:
 * when the archive still stands at the claimed revision's predecessor long after the claim, drop it.
 */
async function releaseOrphanedClaim(studentId: Types.ObjectId, revision: number): Promise<boolean> {
  const claim = await ArchiveRevisionModel.findById(revisionId(studentId, revision)).select('at').lean();
  if (!claim || Date.now() - claim.at.getTime() < ORPHANED_CLAIM_MS) return false;
  const current = await StudentModel.findById(studentId).select('revision').lean();
  if (!current || (current.revision ?? 0) >= revision) return false;
  await ArchiveRevisionModel.deleteOne({ _id: claim._id });
  return true;
}

/**
 * The one way an archive changes (API, forms, roster import, confirmation, visits). The next revision is
 * claimed first by inserting its history record under the unique key (student, revision): of two writers
 * that read the same revision only one can claim the next, the other gets a 409 and nothing of its change
 * is written. The archive itself is then updated by `_id` with `$set` of the changed fields only, so fields
 * kept by other modules (the last contact) are never overwritten.
 */
export async function commitArchiveWrite(actor: Actor, write: ArchiveWrite): Promise<number> {
  const expected = write.before.revision ?? 0;
  const revision = expected + 1;
  const at = new Date();
  const set: Record<string, unknown> = { ...write.set, revision };
  if (write.confirms) Object.assign(set, { lastConfirmedAt: at, lastConfirmedYear: write.academicYear });

  let claim;
  try {
    claim = await ArchiveRevisionModel.create(revisionRecord(actor, write, revision, at));
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    if (!(await releaseOrphanedClaim(write.before._id, revision))) throw new RevisionConflictError(write.before.studentNo, expected);
    claim = await ArchiveRevisionModel.create(revisionRecord(actor, write, revision, at));
  }
  let matched: number;
  try {
    matched = (await StudentModel.updateOne({ _id: write.before._id }, { $set: set })).matchedCount;
  } catch (error) {
    await ArchiveRevisionModel.deleteOne({ _id: claim._id }).catch(() => undefined);
    // The update may have been applied before the error reached us.
    directoryMayBeBehind();
    throw error;
  }
  // An archive removed meanwhile (an import undone) is not entered in the directory again.
  if (matched > 0) await recordInDirectory([{ ...write.before, ...set }], write.changes.map((c) => c.field));
  await publishArchiveUpdated(write, revision);
  return revision;
}

type MarkedStudent = { _id: Types.ObjectId; studentNo: string; name?: string; college?: Types.ObjectId; counselor?: Types.ObjectId | null };

/** C1: a student newly of the special tier — their counselor is prompted to propose a mentoring group. */
async function publishMarkedSpecial(student: MarkedStudent): Promise<void> {
  const counselor = student.counselor ? await UserModel.findById(student.counselor).select('displayName email').lean<{ _id: Types.ObjectId; displayName: string; email?: string | null } | null>() : null;
  await publishEvent({
    type: 'student.markedSpecial',
    college: student.college,
    owner: counselor?._id,
    payload: {
      studentId: String(student._id), studentName: student.name ?? '', studentNo: student.studentNo, collegeId: student.college ? String(student.college) : null,
      counselor: counselor ? { userId: String(counselor._id), name: counselor.displayName, email: counselor.email ?? null } : null,
      link: `/mentoring?propose=${String(student._id)}`,
    },
  });
}

/** Every archive write (typed, imported, confirmed, undone) announces itself, and a care tier that became special (C1). */
export async function publishArchiveUpdated(write: Pick<ArchiveWrite, 'before' | 'set' | 'changes' | 'source'>, revision: number): Promise<void> {
  const college = (write.set.college ?? write.before.college) as Types.ObjectId | undefined;
  await publishEvent({
    type: 'archive.updated',
    college,
    payload: { studentId: String(write.before._id), studentNo: write.before.studentNo, revision, changed: write.changes.map((c) => c.field), source: write.source },
  });
  if (write.changes.some((c) => c.field === 'careTier' && c.to === 'special')) await publishMarkedSpecial({ ...write.before, ...write.set } as MarkedStudent);
}

/** A new archive: inserted at revision 1 together with its first history record (the student number is unique). */
export async function createArchive(actor: Actor, doc: Record<string, unknown> & { _id: Types.ObjectId; studentNo: string }, changes: FieldChange[], source: RevisionSource, academicYear: string): Promise<void> {
  const at = new Date();
  let created;
  try {
    created = await StudentModel.create({ ...doc, revision: 1, lastConfirmedAt: at, lastConfirmedYear: academicYear });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    throw problems.validation([{ path: 'studentNo', message: `学号 ${doc.studentNo} 已存在`, messageEn: `student number ${doc.studentNo} already exists`, rule: 'unique' }]);
  }
  const write: ArchiveWrite = { before: { _id: doc._id, studentNo: doc.studentNo, revision: 0 }, set: created.toObject(), changes, source, academicYear, confirms: true, creates: true };
  try {
    await ArchiveRevisionModel.create(revisionRecord(actor, write, 1, at));
  } catch (error) {
    await StudentModel.deleteOne({ _id: doc._id }).catch(() => undefined);
    directoryMayBeBehind();
    throw error;
  }
  await addToDirectory([write.set as typeof doc]);
  await publishArchiveUpdated(write, 1);
}
