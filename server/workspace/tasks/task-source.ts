import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { ZONE } from '../../calendar/academic-calendar';
import type { Actor } from '../../identity/actor';
import type { CaseloadStudent, StudentsService } from '../../students/students.service';

/**
 * My tasks (我的待办) is made of task sources, one file each (`<name>.source.ts`), listed in sources.ts.
 * A source says which kind of task it makes, for whom (`appliesTo`), and reads that actor's tasks of its
 * kind from the records on every request (`collect`) through the owning module's service — nothing is
 * cached, so work done leaves the list at once. A new kind (visit reports, feedback tickets, mentoring
 * groups) is a new source file and one line in sources.ts; no other source changes.
 */
export interface TaskSource {
  /** A short stable name (`archive`, `contact`…), the `kind` of its rows and of `GET /api/tasks?kind=`. */
  readonly kind: string;
  readonly zh: string;
  readonly en: string;
  /** Whether the actor gets tasks of this kind at all (their role and permissions). */
  appliesTo(actor: Actor): boolean;
  /** The actor's tasks of this kind, earliest due first: at most `limit` rows, and how many there are. */
  collect(context: TaskContext, limit: number): Promise<SourceResult>;
}

export interface SourceResult {
  rows: SourceRow[];
  /** How many tasks of this kind the actor has (what was found within the source's bound when `truncated`). */
  total: number;
  /** More tasks exist than the rows returned. */
  truncated: boolean;
}

export interface StudentRef {
  id: string;
  studentNo: string;
  name: string;
  className?: string;
}

/** A task as a source makes it: the student by archive id (the service reads every named student in one query) or already known. */
export interface SourceRow {
  /** Unique in the whole list: `<kind>:<record id>`. */
  id: string;
  /** What to do, in Chinese. */
  title: string;
  student?: Types.ObjectId | StudentRef;
  /** When it is due; null when it has no deadline (such rows come last). */
  dueAt: Date | null;
  overdue: boolean;
  /** A student's care tier (contact tasks). */
  tier?: string;
  tierZh?: string;
  /** A second line in Chinese (last contact, who handles it…). */
  note?: string;
  /** Where the work is done. */
  href: string;
}

/** What every source of one request shares: who asks, the moment, and the students they answer for (read once). */
export interface TaskContext {
  readonly actor: Actor;
  readonly now: Date;
  /** The students the actor answers for (see `caseloadOwner`), read once per request, bounded. */
  caseload(): Promise<{ students: CaseloadStudent[]; truncated: boolean }>;
  /** The caseload's students if a source has read them already (none otherwise): names without another query. */
  readonly known: ReadonlyMap<string, CaseloadStudent>;
}

/** Students read at most as one actor's caseload (a counselor looks after a few hundred). */
export const CASELOAD_LIMIT = 5_000;

/**
 * Whose students an actor answers for in their tasks: a counselor those they look after (the archive's
 * counselor); a college leader those of the college no counselor looks after (`null`), so that no
 * archive, contact or notification is nobody's; anyone else none (`undefined`).
 */
export function caseloadOwner(actor: Actor): Types.ObjectId | null | undefined {
  if (actor.role === 'counselor') return actor.userId;
  if (actor.role === 'collegeLeader') return null;
  return undefined;
}

export function taskContext(actor: Actor, now: Date, students: Pick<StudentsService, 'caseload'>): TaskContext {
  let caseload: ReturnType<TaskContext['caseload']> | undefined;
  const known = new Map<string, CaseloadStudent>();
  return {
    actor,
    now,
    known,
    caseload() {
      const owner = caseloadOwner(actor);
      caseload ??= (owner === undefined ? Promise.resolve({ students: [], truncated: false }) : students.caseload(actor, owner, CASELOAD_LIMIT)).then((read) => {
        for (const s of read.students) known.set(String(s._id), s);
        return read;
      });
      return caseload;
    },
  };
}

export function studentRef(s: { _id: Types.ObjectId; studentNo: string; name: string; className?: string }): StudentRef {
  return { id: String(s._id), studentNo: s.studentNo, name: s.name, className: s.className };
}

/** `2026年12月29日` in Asia/Shanghai, for notes. */
export function dayText(at: Date): string {
  return DateTime.fromJSDate(at).setZone(ZONE).toFormat('yyyy年M月d日');
}

export function studentHref(student: Types.ObjectId | string, section: 'archive' | 'contacts' | 'cases' | 'awards'): string {
  return `/students/${encodeURIComponent(String(student))}#${section}`;
}

export function planHref(campaign: string, collegeCode: string): string {
  return `/visits/${encodeURIComponent(campaign)}/plans/${encodeURIComponent(collegeCode)}`;
}
