import type { Types } from 'mongoose';
import type { Actor } from '../../identity/actor';
import { commitArchiveWrite, RevisionConflictError } from '../archive-writer';
import { ArchiveRevisionModel, revisionId } from '../archive-revision.model';
import { removeFromDirectory } from '../directory/student-directory';
import { StudentModel } from '../student.model';
import { ImportJobModel } from './import-job.model';

const SYSTEM: Actor = {
  kind: 'user',
  userId: null as unknown as Types.ObjectId,
  username: 'system',
  displayName: '系统',
  role: 'admin',
  permissions: new Set(),
};

const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));
}

/**
 * Takes back what one import wrote, and only that: an archive it created is removed while nobody has
 * changed it since; an archive it updated gets the fields the import changed back through a new revision
 * (`undo`), unless someone changed the archive after the import — then the later change is kept. Works
 * from the job's revision records, so it also serves an import interrupted by a crash. Reads and removals
 * go in chunks: on the embedded FerretDB a delete costs a pass over the collection, however it is keyed.
 */
export async function undoImport(jobId: Types.ObjectId, academicYear: string): Promise<{ undone: number; kept: number }> {
  const records = await ArchiveRevisionModel.find({ importJob: jobId }).select('student revision creates changes').lean();
  const current = new Map<string, Record<string, unknown> & { _id: Types.ObjectId; studentNo: string; revision?: number }>();
  for (const ids of chunks([...new Set(records.map((r) => String(r.student)))])) {
    for (const student of await StudentModel.find({ _id: { $in: ids } }).lean()) current.set(String(student._id), student as never);
  }
  const untouched = records.filter((r) => (current.get(String(r.student))?.revision ?? -1) === r.revision);
  let kept = records.filter((r) => current.has(String(r.student))).length - untouched.length;

  const created = untouched.filter((r) => r.creates);
  for (const part of chunks(created)) {
    await StudentModel.deleteMany({ _id: { $in: part.map((r) => r.student) } });
    await removeFromDirectory(part.map((r) => r.student));
    await ArchiveRevisionModel.deleteMany({ _id: { $in: part.map((r) => r._id) } });
  }

  const updated = untouched.filter((r) => !r.creates);
  const previous = new Map<string, Record<string, unknown>>();
  for (const ids of chunks(updated.map((r) => revisionId(r.student, r.revision - 1)))) {
    for (const p of await ArchiveRevisionModel.find({ _id: { $in: ids } }).select('snapshot').lean()) previous.set(p._id, (p.snapshot ?? {}) as Record<string, unknown>);
  }
  let undone = created.length;
  for (const record of updated) {
    const snapshot = previous.get(revisionId(record.student, record.revision - 1)) ?? {};
    const set: Record<string, unknown> = {};
    for (const change of record.changes ?? []) {
      if (change.sensitive) set.sealed = snapshot.sealed ?? {};
      else if (change.field) set[change.field] = snapshot[change.field] ?? null;
    }
    try {
      const changes = (record.changes ?? []).map((c) => ({ field: c.field ?? '', sensitive: c.sensitive ?? undefined }));
      await commitArchiveWrite(SYSTEM, { before: current.get(String(record.student))!, set, changes, source: 'undo', academicYear, confirms: false });
      undone += 1;
    } catch (error) {
      if (!(error instanceof RevisionConflictError)) throw error;
      kept += 1;
    }
  }
  return { undone, kept };
}

const HEARTBEAT_MS = 15_000;
/** Imports running in this process: never taken for interrupted here, however slow. */
const running = new Set<string>();

/** Marks an import as alive until the returned function is called (here, and for other processes every 15 s). */
export function startHeartbeat(jobId: Types.ObjectId): () => void {
  running.add(String(jobId));
  const timer = setInterval(() => void ImportJobModel.updateOne({ _id: jobId }, { $set: { heartbeatAt: new Date() } }).catch(() => undefined), HEARTBEAT_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    running.delete(String(jobId));
  };
}

/**
 * An import whose process died (a running one touches its job at least every 15 s) is undone
 * and marked failed, never left half-written. Runs at start and then every minute, so that with several
 * service processes on one database an import running elsewhere is left alone.
 */
export async function recoverInterruptedImports(academicYear: string, staleAfterMs: number, log: (message: string) => void): Promise<void> {
  const silentSince = new Date(Date.now() - staleAfterMs);
  const interrupted = await ImportJobModel.find({ status: { $in: ['queued', 'validating', 'writing'] }, updatedAt: { $lt: silentSince } }).select('_id fileName').lean();
  for (const job of interrupted) {
    if (running.has(String(job._id))) continue;
    const { undone, kept } = await undoImport(job._id, academicYear);
    await ImportJobModel.updateOne(
      { _id: job._id },
      { $set: { status: 'failed', failure: '导入因服务重启而中断，已撤销已写入的部分，请重新导入 / The import was interrupted by a restart; what it had written was undone — import the file again', finishedAt: new Date() } },
    );
    log(`roster import ${String(job._id)} (${job.fileName}) was interrupted: ${undone} archive(s) undone${kept ? `, ${kept} kept because they changed since` : ''}`);
  }
}
