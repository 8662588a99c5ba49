import { Types, type HydratedDocument } from 'mongoose';
import { recordAudit } from '../../audit/audit.service';
import { problems } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { assertCan, mayActForCollege } from '../../identity/policy';
import { applyArchive, snapshotOf } from '../archive-changes';
import { parseArchiveInput } from '../archive-input';
import { ArchiveRevisionModel } from '../archive-revision.model';
import { StudentModel } from '../student.model';
import type { StudentsService } from '../students.service';
import { ImportJobModel, type ImportJob } from './import-job.model';
import { guardiansOf, readRoster } from './roster-reader';

const MAX_REPORTED_ERRORS = 1000;
const BATCH = 500;

type Job = HydratedDocument<ImportJob>;
type LeanStudent = Record<string, unknown> & { _id: Types.ObjectId; studentNo: string; college: Types.ObjectId; revision?: number };

interface PlannedWrite {
  kind: 'insert' | 'update';
  doc: LeanStudent;
  before?: LeanStudent;
  changes: ReturnType<typeof applyArchive>;
}

export class RosterImportService {
  constructor(private readonly students: StudentsService) {}

  /** Queues an import and processes it in the background; poll `get` for progress and the report. */
  async start(actor: Actor, file: { name: string; content: Buffer }): Promise<Job> {
    assertCan(actor, 'students:import');
    const kind = /\.xlsx$/i.test(file.name) ? 'xlsx' : /\.csv$/i.test(file.name) ? 'csv' : undefined;
    if (!kind) throw problems.unsupportedMedia('Send an .xlsx or .csv roster', '请上传 .xlsx 或 .csv 格式的名册');
    const job = await ImportJobModel.create({ fileName: file.name, owner: actor.userId, college: actor.college });
    setImmediate(() => {
      this.run(actor, job, file.content, kind).catch(async (error: unknown) => {
        job.status = 'failed';
        job.failure = error instanceof Error ? error.message : String(error);
        job.finishedAt = new Date();
        await job.save().catch(() => undefined);
      });
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
      // A shallow copy is enough: applyArchive replaces fields, it never edits them in place.
      const doc = (before
        ? { ...before, sealed: { ...((before.sealed ?? {}) as object) } }
        : { _id: new Types.ObjectId(), studentNo: value.studentNo, sealed: {}, revision: 0, assistanceRecords: [] }) as LeanStudent;
      const changes = applyArchive(doc, value, this.students.cipher);
      if (before && changes.length === 0) unchanged += 1;
      else writes.push({ kind: before ? 'update' : 'insert', doc, before, changes });
    }
    job.status = 'writing';
    job.unchanged = unchanged;
    await job.save();
    await this.write(actor, job, writes, roster.rows.length);
  }

  /**
   * Writes in batches. The database may not offer transactions, so a failure part-way undoes what was
   * written (inserted archives removed, updated ones put back) before the job is marked failed.
   */
  private async write(actor: Actor, job: Job, writes: PlannedWrite[], totalRows: number): Promise<void> {
    const year = this.students.currentYear();
    const now = new Date();
    const done: PlannedWrite[] = [];
    try {
      for (let i = 0; i < writes.length; i += BATCH) {
        const batch = writes.slice(i, i + BATCH);
        for (const w of batch) {
          w.doc.revision = (w.doc.revision ?? 0) + 1;
          Object.assign(w.doc, { lastConfirmedAt: now, lastConfirmedYear: year, updatedAt: now, ...(w.kind === 'insert' ? { createdAt: now } : {}) });
        }
        done.push(...batch);
        await Promise.all([
          StudentModel.bulkWrite(
            batch.map((w) =>
              w.kind === 'insert'
                ? { insertOne: { document: w.doc } }
                : { replaceOne: { filter: { _id: w.doc._id, revision: w.before!.revision }, replacement: w.doc } },
            ),
          ),
          ArchiveRevisionModel.insertMany(
            batch.map((w) => ({
              student: w.doc._id, revision: w.doc.revision, academicYear: year, at: now, source: 'import',
              actor: { userId: actor.userId, username: actor.username }, changes: w.changes, snapshot: snapshotOf(w.doc), college: w.doc.college,
            })),
          ),
        ]);
        await this.progress(job, Math.round(totalRows / 2 + ((i + batch.length) / writes.length) * (totalRows / 2)));
      }
    } catch (error) {
      await this.undo(done);
      throw error;
    }
    const created = writes.filter((w) => w.kind === 'insert').length;
    Object.assign(job, { status: 'completed', created, updated: writes.length - created, processedRows: totalRows, finishedAt: new Date() });
    await job.save();
    await recordAudit({ action: 'update', resourceType: 'student', count: writes.length, fields: ['import:' + String(job._id)] });
  }

  private async undo(done: PlannedWrite[]): Promise<void> {
    const inserted = done.filter((w) => w.kind === 'insert').map((w) => w.doc._id);
    if (inserted.length) {
      await StudentModel.deleteMany({ _id: { $in: inserted } });
      await ArchiveRevisionModel.deleteMany({ student: { $in: inserted } });
    }
    for (const w of done.filter((d) => d.kind === 'update')) {
      await StudentModel.replaceOne({ _id: w.before!._id }, w.before!);
      await ArchiveRevisionModel.deleteMany({ student: w.before!._id, revision: { $gt: w.before!.revision ?? 0 } });
    }
  }
}
