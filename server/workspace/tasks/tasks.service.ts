import { Types } from 'mongoose';
import type { Actor } from '../../identity/actor';
import type { StudentsService } from '../../students/students.service';
import { studentRef, taskContext, type SourceRow, type StudentRef, type TaskSource } from './task-source';

/** One row of the inbox: a source's row with its kind and the student named. */
export interface TaskRow extends Omit<SourceRow, 'student'> {
  kind: string;
  kindZh: string;
  student: StudentRef | null;
}

export interface TaskKindSummary {
  kind: string;
  zh: string;
  en: string;
  count: number;
  truncated: boolean;
}

/** Rows one request returns unless it asks for fewer; also what each source returns at most. */
export const DEFAULT_TASK_LIMIT = 200;
export const MAX_TASK_LIMIT = 500;

/**
 * My tasks (我的待办): every source that applies to the actor, read from the records on each request (no
 * cache: done work leaves at once), merged earliest deadline first — rows without a deadline last — and
 * bounded. The students named by the rows are read in one query.
 */
export class TasksService {
  constructor(
    private readonly sources: readonly TaskSource[],
    private readonly students: Pick<StudentsService, 'caseload' | 'briefs'>,
  ) {
    const kinds = sources.map((s) => s.kind);
    if (new Set(kinds).size !== kinds.length) throw new Error(`two task sources share a kind: ${kinds.join(', ')}`);
  }

  /** Every kind of task there is, in filter order. */
  get kinds(): string[] {
    return this.sources.map((s) => s.kind);
  }

  async forActor(actor: Actor, query: { kind?: string; limit: number }, now: Date = new Date()) {
    const applicable = this.sources.filter((s) => s.appliesTo(actor) && (query.kind === undefined || s.kind === query.kind));
    const context = taskContext(actor, now, this.students);
    const results = await Promise.all(applicable.map((s) => s.collect(context, query.limit)));

    // Students named by id: those of the caseload are known already, the others are read in one query.
    const named = results.flatMap((r) => r.rows.map((row) => row.student).filter((s): s is Types.ObjectId => s instanceof Types.ObjectId && !context.known.has(String(s))));
    const briefs = named.length ? await this.students.briefs([...new Map(named.map((id) => [String(id), id])).values()]) : new Map();
    const student = (ref: SourceRow['student']): StudentRef | null => {
      if (!ref) return null;
      if (!(ref instanceof Types.ObjectId)) return ref;
      const known = context.known.get(String(ref));
      if (known) return studentRef(known);
      const brief = briefs.get(String(ref));
      return brief ? { id: String(ref), studentNo: brief.studentNo, name: brief.studentName, className: brief.className } : null;
    };

    const order = new Map(this.sources.map((s, i) => [s.kind, i]));
    const rows = applicable.flatMap((source, i) =>
      results[i]!.rows.map((row): TaskRow => ({ ...row, kind: source.kind, kindZh: source.zh, student: student(row.student) })),
    );
    rows.sort((a, b) => dueKey(a) - dueKey(b) || order.get(a.kind)! - order.get(b.kind)! || (a.student?.studentNo ?? '').localeCompare(b.student?.studentNo ?? '') || a.id.localeCompare(b.id));

    const kinds: TaskKindSummary[] = applicable.map((s, i) => ({ kind: s.kind, zh: s.zh, en: s.en, count: results[i]!.total, truncated: results[i]!.truncated }));
    return {
      asOf: now,
      items: rows.slice(0, query.limit),
      counts: Object.fromEntries(kinds.map((k) => [k.kind, k.count])) as Record<string, number>,
      kinds,
      truncated: rows.length > query.limit || kinds.some((k) => k.truncated),
    };
  }
}

function dueKey(row: TaskRow): number {
  return row.dueAt ? row.dueAt.getTime() : Number.MAX_SAFE_INTEGER;
}
