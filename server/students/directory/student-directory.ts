import { Types } from 'mongoose';
import { insertAllowingDuplicates } from '../../db/insert-allowing-duplicates';
import { bulkUpdateInChunks } from '../../db/update-in-chunks';
import { enrolmentChanged, movesEnrolment } from '../enrolment-counts';
import { StudentModel } from '../student.model';
import { StudentDirectoryModel } from './student-directory.model';

/**
 * The student directory: a compact copy of every archive's who/where/whom-to-reach, for reads that need
 * the whole school at once (a term letter's audience and its launch). Reading 40,000 archives on the
 * embedded engine takes ≈ 16 s, because it decodes every field of every document; the directory ≈ 3 s.
 *
 * Kept in step by every archive write (archive-writer, roster import and its undo, demo data), after the
 * archive itself. An entry begins with the archive's revision and is written with `$max`, so of two writes
 * landing out of order the later revision still wins; a write the process did not live to finish is repaired by the pass over the
 * archives that every start makes (`syncStudentDirectory`), which readers wait for.
 */
export interface DirectoryStudent {
  _id: Types.ObjectId;
  revision: number;
  studentNo: string;
  name: string;
  college: Types.ObjectId;
  counselor: Types.ObjectId | null;
  grade: string;
  major: string;
  careTier: string;
  guardians: Array<{ phone?: string | null; email?: string | null }>;
}

/** The archive fields an entry is made of (a projection for the pass over the archives). */
export const DIRECTORY_FIELDS = 'studentNo name college counselor grade major careTier guardians revision';

type ArchiveLike = Record<string, unknown> & { _id: Types.ObjectId };

/** Ten digits hold any revision an archive reaches; anything else (absent, negative, fractional) counts as 0. */
function revisionOf(archive: ArchiveLike): number {
  const revision = archive.revision;
  return typeof revision === 'number' && Number.isSafeInteger(revision) && revision >= 0 ? Math.min(revision, 9_999_999_999) : 0;
}

/** One JSON string per entry: one field for the engine to decode instead of ten. */
function pack(archive: ArchiveLike): string {
  const guardians = ((archive.guardians as Array<{ phone?: string | null; email?: string | null } | null> | undefined) ?? []).filter((g) => g !== null && typeof g === 'object') as Array<{ phone?: string | null; email?: string | null }>;
  return JSON.stringify([
    archive.studentNo ?? '',
    archive.name ?? '',
    archive.college ? String(archive.college) : '',
    archive.counselor ? String(archive.counselor) : '',
    archive.grade ?? '',
    archive.major ?? '',
    archive.careTier ?? 'general',
    guardians.map((g) => [g.phone ?? null, g.email ?? null]),
  ]);
}

function unpack(id: Types.ObjectId, revision: number, packed: string): DirectoryStudent {
  const [studentNo, name, college, counselor, grade, major, careTier, guardians] = JSON.parse(packed) as [string, string, string, string, string, string, string, Array<[string | null, string | null]>];
  return {
    _id: id,
    revision,
    studentNo,
    name,
    college: new Types.ObjectId(college),
    counselor: counselor ? new Types.ObjectId(counselor) : null,
    grade,
    major,
    careTier,
    guardians: guardians.map(([phone, email]) => ({ phone, email })),
  };
}

/** An entry one cannot use (no college: written outside the service) is left out rather than failing every reader. */
function unpackOrSkip(id: Types.ObjectId, revision: number, packed: string): DirectoryStudent | undefined {
  try {
    return unpack(id, revision, packed);
  } catch {
    return undefined;
  }
}

/** `<revision in ten digits>|<packed>`: ordered by revision as strings, so `$max` keeps the later one. */
function entryOf(archive: ArchiveLike): string {
  return `${String(revisionOf(archive)).padStart(10, '0')}|${pack(archive)}`;
}

/** The entry of an archive that is gone: sorts above every revision, so no late `$max` brings the archive back. */
const REMOVED = '~';

function parseEntry(entry: { e?: unknown }): { revision: number; packed: string } | undefined {
  if (typeof entry.e !== 'string' || entry.e === REMOVED) return undefined;
  const bar = entry.e.indexOf('|');
  const revision = Number(entry.e.slice(0, bar));
  return bar > 0 && Number.isInteger(revision) ? { revision, packed: entry.e.slice(bar + 1) } : undefined;
}

/** Moves the entry on to the archive's revision; `replace` also moves it back (an entry ahead of its archive). */
function entryUpdate(archive: ArchiveLike, replace = false) {
  const e = entryOf(archive);
  return { updateOne: { filter: { _id: archive._id }, update: replace ? { $set: { e } } : { $max: { e } }, upsert: true } };
}

let synced: Promise<number> | undefined;
/** Whether this process's last pass over the archives finished and no directory write has failed since. */
let inStep = false;

/** Whether the directory is known to be in step with the archives now (readers need not wait for a pass). */
export function directoryInStep(): boolean {
  return inStep;
}

/**
 * A write failed part-way and may have left the directory behind its archives (an archive written, its
 * entry not): the next reader makes a pass, and counts taken from the directory are dropped.
 */
export function directoryMayBeBehind(): void {
  synced = undefined;
  inStep = false;
  enrolmentChanged();
}

/** Starts a pass over the archives in the background unless one has run or is running. */
export function ensureDirectoryPass(): void {
  if (!synced) syncStudentDirectory().catch(() => undefined);
}

/**
 * A failed directory write must not fail the archive write behind it: the next reader re-syncs instead.
 * Either way, when the write moves students between colleges, grades or majors, enrolment counts taken
 * from the directory before it are dropped.
 */
async function keepingInStep(write: () => Promise<unknown>, moves: boolean): Promise<void> {
  try {
    await write();
  } catch {
    directoryMayBeBehind();
  } finally {
    if (moves) enrolmentChanged();
  }
}

function writeEntries(archives: ArchiveLike[], replace = false): Promise<number> {
  return bulkUpdateInChunks(StudentDirectoryModel, archives.map((a) => entryUpdate(a, replace)));
}

async function insertEntries(archives: ArchiveLike[]): Promise<void> {
  const docs = archives.map((a) => ({ _id: a._id, e: entryOf(a) }));
  const existing = await insertAllowingDuplicates(StudentDirectoryModel as never, docs, 'studentDirectory', { lean: true });
  if (existing.size) await writeEntries(archives.filter((_, i) => existing.has(i)));
}

/** Marks entries removed (kept as tombstones: a write of the archive still in flight cannot revive them). */
async function removeEntries(ids: Types.ObjectId[]): Promise<void> {
  await bulkUpdateInChunks(StudentDirectoryModel, ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $set: { e: REMOVED } }, upsert: true } })));
}

/**
 * The archives as they are now (each with its current `revision`): their entries are written or moved on.
 * `changed` names the archive fields the write changed (all, when not given).
 */
export function recordInDirectory(archives: ArchiveLike[], changed?: string[]): Promise<void> {
  return keepingInStep(() => writeEntries(archives), archives.length > 0 && (!changed || movesEnrolment(changed)));
}

/** New archives: inserted in bulk; one that somebody already entered (the start-up pass) is updated instead. */
export function addToDirectory(archives: ArchiveLike[]): Promise<void> {
  return keepingInStep(() => insertEntries(archives), archives.length > 0);
}

export function removeFromDirectory(ids: Types.ObjectId[]): Promise<void> {
  return keepingInStep(() => removeEntries(ids), ids.length > 0);
}

/**
 * One pass over the archives brings the directory in line with them: missing or outdated entries are
 * written, entries of archives that are gone removed. The directory is read before the archives, so an
 * archive created during the pass is never taken for gone. `visit` sees every archive read (the start-up
 * pass also learns the student numbers). Resolves with the number of archives.
 */
export function syncStudentDirectory(visit?: (archive: DirectoryStudent) => void): Promise<number> {
  const run = (async () => {
    const entries = new Map<string, { revision: number; packed: string } | undefined>();
    for await (const entry of StudentDirectoryModel.find({}).lean<{ _id: Types.ObjectId; e?: string }>().cursor()) {
      entries.set(String(entry._id), entry.e === REMOVED ? undefined : (parseEntry(entry) ?? { revision: -1, packed: '' }));
    }
    const missing: ArchiveLike[] = [];
    const outdated: ArchiveLike[] = [];
    const replaced: ArchiveLike[] = [];
    const seen = new Set<string>();
    let count = 0;
    for await (const archive of StudentModel.find({}).select(DIRECTORY_FIELDS).lean<ArchiveLike>().cursor()) {
      count += 1;
      const id = String(archive._id);
      seen.add(id);
      const packed = pack(archive);
      const read = unpackOrSkip(archive._id, revisionOf(archive), packed);
      if (read) visit?.(read);
      const entry = entries.get(id);
      if (!entries.has(id)) missing.push(archive);
      // A tombstone (or an entry that cannot be read) for an archive that exists: replaced.
      else if (!entry || entry.revision < 0) replaced.push(archive);
      else if (entry.revision < revisionOf(archive)) outdated.push(archive);
      // Ahead of its archive, or changed without a new revision (written outside the service): replaced.
      else if (entry.revision > revisionOf(archive) || entry.packed !== packed) replaced.push(archive);
    }
    const gone = [...entries].filter(([id, entry]) => entry !== undefined && !seen.has(id)).map(([id]) => new Types.ObjectId(id));
    await insertEntries(missing);
    await writeEntries(outdated);
    await writeEntries(replaced, true);
    await removeEntries(gone);
    // A replacement is a plain `$set` from what the pass read: an archive written or removed since is entered again as it is now.
    for (const archive of replaced) {
      const now = await StudentModel.findById(archive._id).select(DIRECTORY_FIELDS).lean<ArchiveLike>();
      if (!now) await removeEntries([archive._id]);
      else if (revisionOf(now) !== revisionOf(archive)) await writeEntries([now]);
    }
    if (missing.length + outdated.length + replaced.length + gone.length > 0) enrolmentChanged();
    return count;
  })();
  synced = run;
  inStep = false;
  run.then(
    () => {
      if (synced === run) inStep = true;
    },
    () => {
      if (synced === run) synced = undefined;
    },
  );
  return run;
}

/** Every entry, once the directory is known to be in step with the archives (after this process's first pass). */
export async function readStudentDirectory(): Promise<DirectoryStudent[]> {
  return (await readStudentDirectoryWithGaps()).students;
}

/** Every usable entry, and how many live entries could not be used (an archive without a college…). */
export async function readStudentDirectoryWithGaps(): Promise<{ students: DirectoryStudent[]; unusable: number }> {
  await (synced ?? syncStudentDirectory());
  const students: DirectoryStudent[] = [];
  let unusable = 0;
  for (const entry of await StudentDirectoryModel.find({}).lean<Array<{ _id: Types.ObjectId; e?: string }>>()) {
    if (entry.e === REMOVED) continue;
    const found = parseEntry(entry);
    const student = found ? unpackOrSkip(entry._id, found.revision, found.packed) : undefined;
    if (student) students.push(student);
    else unusable += 1;
  }
  return { students, unusable };
}
