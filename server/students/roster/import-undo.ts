import type { Types } from 'mongoose';
import type { Actor } from '../../identity/actor';
import { commitArchiveWrite, RevisionConflictError } from '../archive-writer';
import { ArchiveRevisionModel } from '../archive-revision.model';
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

/**
 * Takes back what one import wrote, and only that: an archive it created is removed while nobody has
 * changed it since; an archive it updated gets the fields the import changed back through a new revision
 * (`undo`), unless someone changed the archive after the import — then the later change is kept. Works
 * from the job's revision records, so it also serves an import interrupted by a crash.
 */
export async function undoImport(jobId: Types.ObjectId, academicYear: string): Promise<{ undone: number; kept: number }> {
  const records = await ArchiveRevisionModel.find({ importJob: jobId }).select('student revision creates').lean();
  let undone = 0;
  let kept = 0;
  for (const record of records) {
    const current = await StudentModel.findById(record.student).lean();
    if (!current) continue;
    if ((current.revision ?? 0) !== record.revision) {
      kept += 1;
      continue;
    }
    if (record.creates) {
      await StudentModel.deleteOne({ _id: record.student });
      await ArchiveRevisionModel.deleteMany({ student: record.student });
      undone += 1;
      continue;
    }
    const previous = await ArchiveRevisionModel.findOne({ student: record.student, revision: record.revision - 1 }).select('snapshot').lean();
    const full = await ArchiveRevisionModel.findById(record._id).select('changes').lean();
    const snapshot = (previous?.snapshot ?? {}) as Record<string, unknown>;
    const set: Record<string, unknown> = {};
    for (const change of full?.changes ?? []) {
      if (change.sensitive) set.sealed = snapshot.sealed ?? {};
      else if (change.field) set[change.field] = snapshot[change.field] ?? null;
    }
    try {
      const before = current as unknown as Parameters<typeof commitArchiveWrite>[1]['before'];
      await commitArchiveWrite(SYSTEM, { before, set, changes: (full?.changes ?? []).map((c) => ({ field: c.field ?? '', sensitive: c.sensitive ?? undefined })), source: 'undo', academicYear, confirms: false });
      undone += 1;
    } catch (error) {
      if (!(error instanceof RevisionConflictError)) throw error;
      kept += 1;
    }
  }
  return { undone, kept };
}

/**
 * An import whose process died (it reports progress at least every few seconds while it runs) is undone
 * and marked failed, never left half-written. Runs at start and then every minute, so that with several
 * service processes on one database an import running elsewhere is left alone.
 */
export async function recoverInterruptedImports(academicYear: string, staleAfterMs: number, log: (message: string) => void): Promise<void> {
  const silentSince = new Date(Date.now() - staleAfterMs);
  const interrupted = await ImportJobModel.find({ status: { $in: ['queued', 'validating', 'writing'] }, updatedAt: { $lt: silentSince } }).select('_id fileName').lean();
  for (const job of interrupted) {
    const { undone, kept } = await undoImport(job._id, academicYear);
    await ImportJobModel.updateOne(
      { _id: job._id },
      { $set: { status: 'failed', failure: '导入因服务重启而中断，已撤销已写入的部分，请重新导入 / The import was interrupted by a restart; what it had written was undone — import the file again', finishedAt: new Date() } },
    );
    log(`roster import ${String(job._id)} (${job.fileName}) was interrupted: ${undone} archive(s) undone${kept ? `, ${kept} kept because they changed since` : ''}`);
  }
}
