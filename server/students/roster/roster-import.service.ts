import { Types, type HydratedDocument, type Model } from 'mongoose';
import { recordAudit } from '../../audit/audit.service';
import { problems } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { assertCan, mayActForCollege } from '../../identity/policy';
import { applyArchive, planArchiveChange, snapshotOf, type FieldChange, type ResolvedArchive } from '../archive-changes';
import { commitArchiveWrite, publishArchiveUpdated, RevisionConflictError } from '../archive-writer';
import { addToDirectory, directoryMayBeBehind, recordInDirectory } from '../directory/student-directory';
import { parseArchiveInput } from '../archive-input';
import { ArchiveRevisionModel, revisionId } from '../archive-revision.model';
import { StudentModel } from '../student.model';
import type { StudentsService } from '../students.service';
import { ImportJobModel, type ImportJob } from './import-job.model';
import { insertAllowingDuplicates } from '../../db/insert-allowing-duplicates';
import { startHeartbeat, undoImport } from './import-undo';
import { guardiansOf, readRoster } from './roster-reader';
import { bulkUpdateInChunks } from '../../db/update-in-chunks';

const MAX_REPORTED_ERRORS = 1000;
const BATCH = 500;

type Job = HydratedDocument<ImportJob>;
type LeanStudent = Record<string, unknown> & { _id: Types.ObjectId; studentNo: string; college: Types.ObjectId; revision?: number };

interface PlannedWrite {
  kind: 'insert' | 'update';
  value: ResolvedArchive;
  /** The archive as read (for an insert, the new document). */
  before: LeanStudent;
  set: Record<string, unknown>;
  changes: FieldChange[];
}

export class RosterImportService {
  constructor(private readonly students: StudentsService) {}

  /** Queues an import and processes it in the background; poll `get` for progress and the report. */
  async start(actor: Actor, file: { name: string; content: Buffer }): Promise<Job> {
    assertCan(actor, 'students:import');
    const kind = /\.xlsx$/i.test(file.name) ? 'xlsx' : /\.csv$/i.test(file.name) ? 'csv' : undefined;
    if (!kind) throw problems.unsupportedMedia('Send an .xlsx or .csv roster', '请上传 .xlsx 或 .csv 格式的名册');
    const job = await ImportJobModel.create({ fileName: file.name, owner: actor.userId, college: actor.college });
    const stopHeartbeat = startHeartbeat(job._id);
    setImmediate(() => {
      this.run(actor, job, file.content, kind)
        .catch(async (error: unknown) => {
          job.status = 'failed';
          job.failure = error instanceof Error ? error.message : String(error);
          job.finishedAt = new Date();
          await job.save().catch(() => undefined);
        })
        .finally(stopHeartbeat);
    });
    return job;
  }

  async get(actor: Actor, id: string) {
    if (!Types.ObjectId.isValid(id)) throw problems.notFound('Import', '导入任务');
    const scope = actor.role === 'admin' || actor.role === 'studentAffairs' ? {} : { owner: actor.userId };
    const job = await ImportJobModel.findOne({ _id: id, ...scope }).lean();
    if (!job) throw problems.notFound('Import', '导入任务');
    return {
      id: String(job._id),
      fileName: job.fileName,
      status: job.status,
      totalRows: job.totalRows,
      processedRows: job.processedRows,
      progress: job.totalRows ? Math.round((job.processedRows / job.totalRows) * 100) : 0,
      created: job.created,
      updated: job.updated,
      unchanged: job.unchanged,
      errorCount: job.errorCount,
      errors: job.errors,
      failure: job.failure ?? null,
      finishedAt: job.finishedAt ?? null,
    };
  }

  /**
   * The archives already on file for these student numbers. A large roster reads the collection once
   * and matches in memory: a long `$in` list is scanned per document by some supported servers (FerretDB),
   * which made a 20,000-row re-import take over a minute.
   */
  private async existingArchives(numbers: string[]): Promise<Map<string, LeanStudent>> {
    const wanted = new Set(numbers);
    const existing = new Map<string, LeanStudent>();
    const cursor = numbers.length > 200 ? StudentModel.find({}).lean().cursor() : StudentModel.find({ studentNo: { $in: numbers } }).lean().cursor();
    for await (const student of cursor) {
      const s = student as unknown as LeanStudent;
      if (wanted.has(s.studentNo)) existing.set(s.studentNo, s);
    }
    return existing;
  }

  private async progress(job: Job, processed: number): Promise<void> {
    job.processedRows = processed;
    await ImportJobModel.updateOne({ _id: job._id }, { $set: { processedRows: processed, status: job.status } });
  }

  private async run(actor: Actor, job: Job, content: Buffer, kind: 'xlsx' | 'csv'): Promise<void> {
    job.status = 'validating';
    await job.save();
    const roster = await readRoster(content, kind);
    const errors: Array<{ row: number; field: string; message: string; messageEn: string }> = [];
    let errorCount = 0;
    const report = (row: number, field: string, message: string, messageEn: string): void => {
      errorCount += 1;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row, field, message, messageEn });
    };
    for (const header of roster.missingHeaders) report(1, header, `缺少“${header}”列`, `missing column ${header}`);
    job.totalRows = roster.rows.length;
    if (roster.rows.length === 0) report(1, '', '名册中没有数据行', 'the roster has no data rows');

    const directories = await this.students.directories();
    const seen = new Map<string, number>();
    const planned: Array<{ row: number; value: ReturnType<StudentsService['resolve']>['value'] }> = [];
    for (const [index, { row, values }] of roster.rows.entries()) {
      const parsed = parseArchiveInput(guardiansOf(values), { partial: false });
      const resolved = this.students.resolve(actor, parsed.value, directories);
      for (const p of [...parsed.problems, ...resolved.problems]) report(row, p.path, p.message, p.messageEn);
      const no = parsed.value.studentNo;
      if (no) {
        if (seen.has(no)) report(row, 'studentNo', `学号 ${no} 与第 ${seen.get(no)} 行重复`, `student number ${no} repeats row ${seen.get(no)}`);
        else seen.set(no, row);
      }
      if (parsed.problems.length === 0 && resolved.problems.length === 0) planned.push({ row, value: resolved.value });
      if ((index + 1) % 2000 === 0) await this.progress(job, Math.floor((index + 1) / 2));
    }

    // Existing archives (matched by student number) must be in the importer's scope too.
    const existing = await this.existingArchives([...seen.keys()]);
    for (const { row, value } of planned) {
      const current = existing.get(value.studentNo!);
      if (current && !mayActForCollege(actor, current.college)) {
        report(row, 'studentNo', `学号 ${value.studentNo} 属于其他院系`, `student ${value.studentNo} belongs to another college`);
      }
    }

    if (errorCount > 0) {
      Object.assign(job, { status: 'rejected', errors, errorCount, processedRows: roster.rows.length, finishedAt: new Date() });
      await job.save();
      return;
    }

    const writes: PlannedWrite[] = [];
    let unchanged = 0;
    for (const { value } of planned) {
      const before = existing.get(value.studentNo!);
      if (before) {
        const { set, changes } = planArchiveChange(before, value, this.students.cipher);
        if (changes.length === 0) unchanged += 1;
        else writes.push({ kind: 'update', value, before, set, changes });
      } else {
        const draft: Record<string, unknown> = { _id: new Types.ObjectId(), studentNo: value.studentNo!, sealed: {} };
        const changes = applyArchive(draft, value, this.students.cipher);
        // Through the model once (no database call) for its defaults, so the first revision's snapshot is complete.
        const doc = new StudentModel(draft).toObject() as unknown as LeanStudent;
        writes.push({ kind: 'insert', value, before: doc, set: doc, changes });
      }
    }
    job.status = 'writing';
    job.unchanged = unchanged;
    await job.save();
    try {
      await this.write(actor, job, writes, roster.rows.length);
    } catch (error) {
      try {
        await undoImport(job._id, this.students.currentYear());
      } finally {
        // Archives a batch wrote without its history records are beyond the undo: the next reader's pass finds them.
        directoryMayBeBehind();
      }
      throw error;
    }
  }

  /**
   * Writes in batches through the same revision claims as every other archive change: each row's next
   * revision is claimed by its history record (tagged with the job, so the import can be undone) before
   * the archive is updated by `_id`. A row whose archive was changed after the roster was read loses its
   * claim; it is read again and the roster's values applied on top of the newer archive, never over it.
   */
  private async write(actor: Actor, job: Job, writes: PlannedWrite[], totalRows: number): Promise<void> {
    const year = this.students.currentYear();
    let created = 0;
    let updated = 0;
    for (let i = 0; i < writes.length; i += BATCH) {
      const batch = writes.slice(i, i + BATCH);
      const now = new Date();
      const inserts = batch.filter((w) => w.kind === 'insert');
      const insertedIds = await this.insertNew(inserts, now, year);
      const claims = batch.map((w) => ({ write: w, revision: w.kind === 'insert' ? 1 : (w.before.revision ?? 0) + 1 })).filter((c) => c.write.kind === 'update' || insertedIds.has(String(c.write.before._id)));
      const claimed = await this.claim(actor, job, claims, now, year);
      await bulkUpdateInChunks(
        StudentModel,
        claimed.filter((c) => c.write.kind === 'update').map((c) => ({
          updateOne: { filter: { _id: c.write.before._id }, update: { $set: { ...c.write.set, revision: c.revision, lastConfirmedAt: now, lastConfirmedYear: year } } },
        })),
      );
      const written = claimed.map((c) => ({ ...c.write.before, ...c.write.set, revision: c.revision, kind: c.write.kind }));
      await addToDirectory(written.filter((w) => w.kind === 'insert'));
      await recordInDirectory(written.filter((w) => w.kind === 'update'), claimed.flatMap((c) => c.write.changes.map((ch) => ch.field)));
      for (const c of claimed) await publishArchiveUpdated({ ...c.write, source: 'import' }, c.revision);
      created += claimed.filter((c) => c.write.kind === 'insert').length;
      updated += claimed.filter((c) => c.write.kind === 'update').length;
      // Rows that lost their claim (changed meanwhile) or whose student number appeared meanwhile.
      const late = batch.filter((w) => !claimed.some((c) => c.write === w));
      for (const w of late) {
        if (await this.reapply(actor, job, w, year)) updated += 1;
      }
      await this.progress(job, Math.round(totalRows / 2 + ((i + batch.length) / writes.length) * (totalRows / 2)));
    }
    Object.assign(job, { status: 'completed', created, updated, processedRows: totalRows, finishedAt: new Date() });
    await job.save();
    await recordAudit({ action: 'update', resourceType: 'student', count: created + updated, fields: ['import:' + String(job._id)] });
  }

  /** Inserts the new archives at revision 1; a student number that appeared since the roster was read is left to `reapply`. */
  private async insertNew(inserts: PlannedWrite[], now: Date, year: string): Promise<Set<string>> {
    if (inserts.length === 0) return new Set();
    const docs = inserts.map((w) => ({ ...w.before, revision: 1, lastConfirmedAt: now, lastConfirmedYear: year, createdAt: now, updatedAt: now }));
    // Built through the model already (see \`run\`): casting 20,000 archives again costs more than inserting them.
    const failed = await insertAllowingDuplicates(StudentModel as unknown as Model<never>, docs, 'student', { lean: true });
    return new Set(docs.filter((_, index) => !failed.has(index)).map((d) => String(d._id)));
  }

  private async claim(actor: Actor, job: Job, claims: Array<{ write: PlannedWrite; revision: number }>, now: Date, year: string) {
    const records = claims.map(({ write, revision }) => ({
      _id: revisionId(write.before._id, revision),
      student: write.before._id, revision, academicYear: year, at: now, source: 'import',
      actor: { userId: actor.userId, username: actor.username }, changes: write.changes,
      snapshot: snapshotOf({ ...write.before, ...write.set }), college: (write.set.college ?? write.before.college) as Types.ObjectId, importJob: job._id,
      ...(write.kind === 'insert' ? { creates: true } : {}),
    }));
    const failed = await insertAllowingDuplicates(ArchiveRevisionModel as unknown as Model<never>, records, 'archiveRevision', { lean: true });
    // A new archive whose first record could not be claimed is taken out again (nobody else can know it yet).
    const lostInserts = claims.filter((c, index) => failed.has(index) && c.write.kind === 'insert').map((c) => c.write.before._id);
    if (lostInserts.length) await StudentModel.deleteMany({ _id: { $in: lostInserts } });
    return claims.filter((_, index) => !failed.has(index));
  }

  /** Applies one roster row on top of the archive as it is now; a second conflict is left to the next writer and reported. */
  private async reapply(actor: Actor, job: Job, w: PlannedWrite, year: string): Promise<boolean> {
    const current = await StudentModel.findOne({ studentNo: w.value.studentNo }).lean();
    if (!current) return false;
    const before = current as unknown as LeanStudent;
    const { set, changes } = planArchiveChange(before, w.value, this.students.cipher);
    if (changes.length === 0) return false;
    try {
      await commitArchiveWrite(actor, { before, set, changes, source: 'import', academicYear: year, confirms: true, importJob: job._id });
      return true;
    } catch (error) {
      if (!(error instanceof RevisionConflictError)) throw error;
      job.errors.push({ row: 0, field: 'studentNo', message: `学号 ${w.value.studentNo} 的档案在导入期间被修改，未覆盖`, messageEn: `the archive of ${w.value.studentNo} changed during the import and was not overwritten` });
      return false;
    }
  }
}
