import { Types, type HydratedDocument } from 'mongoose';
import { recordAudit } from '../audit/audit.service';
import { academicYearOf, academicYearRange, ageOn, type CalendarSettings } from '../calendar/academic-calendar';
import { collegeDirectory } from '../colleges/colleges.service';
import { publishEvent } from '../events/event-bus';
import { problems, type FieldProblem } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan, can, collegeScopeFilter, mayActForCollege } from '../identity/policy';
import { staffDirectory } from '../identity/staff-directory';
import type { FieldCipher } from '../security/field-cipher';
import { applyArchive, diffSnapshots, snapshotOf, type FieldChange, type ResolvedArchive } from './archive-changes';
import { parseArchiveInput, type ArchiveInput } from './archive-input';
import { ArchiveRevisionModel } from './archive-revision.model';
import { SENSITIVE_FIELDS, StudentModel, type Student } from './student.model';

export type StudentDoc = HydratedDocument<Student>;
export type RevisionSource = 'api' | 'import' | 'confirm' | 'visit';

export interface StudentQuery {
  text?: string;
  grade?: string;
  major?: string;
  careTier?: string;
  counselor?: string;
  college?: string;
  /** Only archives not confirmed or changed in this academic year (A3). */
  staleFor?: string;
  limit: number;
  skip: number;
}

export interface Directories {
  colleges: Awaited<ReturnType<typeof collegeDirectory>>;
  staff: Awaited<ReturnType<typeof staffDirectory>>;
}

export interface StudentBrief {
  studentNo: string;
  studentName: string;
  className: string;
}

export class StudentsService {
  constructor(
    readonly cipher: FieldCipher,
    readonly calendar: CalendarSettings,
  ) {}

  currentYear(now: Date = new Date()): string {
    return academicYearOf(now, this.calendar);
  }

  async directories(): Promise<Directories> {
    const [colleges, staff] = await Promise.all([collegeDirectory(), staffDirectory()]);
    return { colleges, staff };
  }

  /** Turns college/counselor names into ids and checks the actor may act for that college. */
  resolve(actor: Actor, input: ArchiveInput, directories: Directories, path = ''): { value: ResolvedArchive; problems: FieldProblem[] } {
    const found: FieldProblem[] = [];
    const { college, counselor, ...rest } = input;
    const value: ResolvedArchive = { ...rest };
    if (college !== undefined) {
      const ref = directories.colleges.get(college);
      if (!ref) found.push({ path: `${path}college`, message: `院系“${college}”不存在`, messageEn: `unknown college "${college}"`, rule: 'exists' });
      else if (!mayActForCollege(actor, ref._id)) {
        found.push({ path: `${path}college`, message: '只能处理本院系的学生', messageEn: 'you may only manage students of your own college', rule: 'scope' });
      } else value.college = ref._id;
    }
    if (counselor !== undefined) {
      if (counselor === null) value.counselor = null;
      else {
        const ref = directories.staff.get(counselor);
        if (!ref || ref.role !== 'counselor') {
          found.push({ path: `${path}counselor`, message: `辅导员“${counselor}”不存在`, messageEn: `no counselor "${counselor}"`, rule: 'exists' });
        } else value.counselor = ref._id;
      }
    }
    return { value, problems: found };
  }

  async findScoped(actor: Actor, id: string): Promise<StudentDoc> {
    const filter = Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/.test(id) ? { _id: id } : { studentNo: id };
    const student = await StudentModel.findOne({ ...filter, ...collegeScopeFilter(actor) });
    if (!student) throw problems.notFound('Student', '学生');
    return student;
  }

  /** Who a student is, for messages to staff (no scope check: callers already hold a record of theirs). */
  async briefs(ids: Types.ObjectId[]): Promise<Map<string, StudentBrief>> {
    const found = await StudentModel.find({ _id: { $in: ids } }).select('studentNo name className').lean();
    return new Map(found.map((s) => [String(s._id), { studentNo: s.studentNo, studentName: s.name, className: s.className }]));
  }

  /** The archive as the actor may see it; sensitive fields decrypted (and the read audited) only with `sensitive:read`. */
  async present(actor: Actor, student: StudentDoc, options: { sensitive: boolean } = { sensitive: true }) {
    const sealed = (student.sealed ?? {}) as Record<string, string>;
    const sealedKeys = SENSITIVE_FIELDS.filter((f) => sealed[f]);
    const reveal = options.sensitive && can(actor, 'sensitive:read') && sealedKeys.length > 0;
    const sensitive: Record<string, unknown> = {};
    if (reveal) {
      for (const field of sealedKeys) sensitive[field] = this.cipher.decrypt(sealed[field]!);
      await recordAudit({ action: 'read-sensitive', resourceType: 'student', resourceId: String(student._id), fields: sealedKeys, college: student.college });
    }
    const year = this.currentYear();
    return {
      id: String(student._id),
      studentNo: student.studentNo,
      name: student.name,
      gender: student.gender,
      birthDate: student.birthDate.toISOString().slice(0, 10),
      age: ageOn(student.birthDate),
      college: String(student.college),
      major: student.major,
      grade: student.grade,
      className: student.className,
      counselor: student.counselor ? String(student.counselor) : null,
      guardians: student.guardians.map((g) => ({ name: g.name, relation: g.relation, phone: g.phone })),
      homeAddress: student.homeAddress ?? null,
      careTier: student.careTier,
      specialCategories: student.specialCategories,
      supportPlan: student.supportPlan ?? null,
      assistanceRecords: student.assistanceRecords.map((r) => ({ id: String(r._id), date: r.date, kind: r.kind, description: r.description })),
      ...sensitive,
      redacted: reveal ? [] : sealedKeys,
      lastConfirmedAt: student.lastConfirmedAt ?? null,
      lastConfirmedYear: student.lastConfirmedYear ?? null,
      stale: student.lastConfirmedYear !== year,
      revision: student.revision,
      lastContactAt: student.lastContactAt ?? null,
    };
  }

  async search(actor: Actor, query: StudentQuery) {
    const filter: Record<string, unknown> = { ...collegeScopeFilter(actor) };
    if (query.text) {
      const escaped = query.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      filter.$or = [{ studentNo: { $regex: `^${escaped}` } }, { name: { $regex: escaped } }];
    }
    if (query.grade) filter.grade = query.grade;
    if (query.major) filter.major = query.major;
    if (query.careTier) filter.careTier = query.careTier;
    if (query.counselor && Types.ObjectId.isValid(query.counselor)) filter.counselor = query.counselor;
    if (query.college && Types.ObjectId.isValid(query.college) && !filter.college) filter.college = query.college;
    if (query.staleFor) filter.lastConfirmedYear = { $ne: query.staleFor };
    const [items, total] = await Promise.all([
      StudentModel.find(filter).sort({ studentNo: 1 }).skip(query.skip).limit(query.limit),
      StudentModel.countDocuments(filter),
    ]);
    // Listings never decrypt sensitive fields.
    return { items: await Promise.all(items.map((s) => this.present(actor, s, { sensitive: false }))), total };
  }

  private async recordRevision(actor: Actor, student: StudentDoc, source: RevisionSource, changes: FieldChange[]): Promise<void> {
    await ArchiveRevisionModel.create({
      student: student._id,
      revision: student.revision,
      academicYear: this.currentYear(),
      at: new Date(),
      source,
      actor: { userId: actor.userId, username: actor.username },
      changes,
      snapshot: snapshotOf(student.toObject()),
      college: student.college,
    });
  }

  /** Saves a change (create or update); a change counts as this year's confirmation of the archive. */
  async saveChange(actor: Actor, student: StudentDoc, input: ResolvedArchive, source: RevisionSource): Promise<FieldChange[]> {
    const target = student as unknown as Record<string, unknown> & { sealed?: unknown };
    const changes = applyArchive(target, input, this.cipher);
    if (changes.length === 0 && !student.isNew) return changes;
    student.markModified('sealed');
    student.revision += 1;
    student.lastConfirmedAt = new Date();
    student.lastConfirmedYear = this.currentYear();
    await student.save();
    await this.recordRevision(actor, student, source, changes);
    await publishEvent({ type: 'archive.updated', college: student.college, payload: { studentId: String(student._id), studentNo: student.studentNo, changed: changes.map((c) => c.field), source } });
    return changes;
  }

  async create(actor: Actor, input: ArchiveInput) {
    assertCan(actor, 'students:write');
    const { value, problems: found } = this.resolve(actor, input, await this.directories());
    if (found.length) throw problems.validation(found);
    if (await StudentModel.exists({ studentNo: value.studentNo })) {
      throw problems.validation([{ path: 'studentNo', message: `学号 ${value.studentNo} 已存在`, messageEn: `student number ${value.studentNo} already exists`, rule: 'unique' }]);
    }
    const student = new StudentModel({ studentNo: value.studentNo, sealed: {} });
    await this.saveChange(actor, student, value, 'api');
    return this.present(actor, student);
  }

  async update(actor: Actor, id: string, input: ArchiveInput) {
    assertCan(actor, 'students:write');
    const student = await this.findScoped(actor, id);
    const { value, problems: found } = this.resolve(actor, input, await this.directories());
    if (value.studentNo && value.studentNo !== student.studentNo) {
      found.push({ path: 'studentNo', message: '学号不可修改', messageEn: 'the student number cannot change', rule: 'immutable' });
    }
    if (found.length) throw problems.validation(found);
    const changes = await this.saveChange(actor, student, value, 'api');
    return { changes, student: await this.present(actor, student) };
  }

  /** Creates the archive, or updates it when the student number is already on file (archive form, A1). */
  async upsert(actor: Actor, raw: Record<string, unknown>) {
    const exists = typeof raw.studentNo === 'string' && (await StudentModel.exists({ studentNo: raw.studentNo.trim() }));
    const { value, problems: found } = parseArchiveInput(raw, { partial: !!exists });
    if (found.length) throw problems.validation(found);
    return exists ? (await this.update(actor, value.studentNo!, value)).student : this.create(actor, value);
  }

  /** A3: the counselor confirms the archive is still accurate for this academic year. */
  async confirm(actor: Actor, id: string) {
    assertCan(actor, 'students:write');
    const student = await this.findScoped(actor, id);
    student.lastConfirmedAt = new Date();
    student.lastConfirmedYear = this.currentYear();
    student.revision += 1;
    await student.save();
    await this.recordRevision(actor, student, 'confirm', []);
    return this.present(actor, student, { sensitive: false });
  }

  async addAssistance(actor: Actor, id: string, record: { date: Date; kind: string; description: string }) {
    assertCan(actor, 'students:write');
    const student = await this.findScoped(actor, id);
    student.assistanceRecords.push({ ...record, recordedBy: actor.userId });
    student.revision += 1;
    await student.save();
    await this.recordRevision(actor, student, 'api', [{ field: 'assistanceRecords', to: record.kind }]);
    return this.present(actor, student, { sensitive: false });
  }

  /** Kept by the liaison module whenever a contact with the family is logged (B2 cadence). */
  async noteContact(studentId: Types.ObjectId, at: Date): Promise<void> {
    await StudentModel.updateOne({ _id: studentId, $or: [{ lastContactAt: { $lt: at } }, { lastContactAt: null }] }, { $set: { lastContactAt: at } });
  }

  async history(actor: Actor, id: string) {
    const student = await this.findScoped(actor, id);
    const revisions = await ArchiveRevisionModel.find({ student: student._id }).sort({ revision: -1 }).select('-snapshot').lean();
    return revisions.map((r) => ({
      revision: r.revision,
      academicYear: r.academicYear,
      at: r.at,
      source: r.source,
      by: r.actor?.username,
      changes: r.changes,
    }));
  }

  /** Year-to-year view: the archive as it stood at the end of each year, and what differs. */
  async yearDiff(actor: Actor, id: string, fromYear: string, toYear: string) {
    const student = await this.findScoped(actor, id);
    const at = async (year: string) =>
      ArchiveRevisionModel.findOne({ student: student._id, at: { $lte: academicYearRange(year, this.calendar).end } }).sort({ revision: -1 }).lean();
    const [before, after] = await Promise.all([at(fromYear), at(toYear)]);
    const reveal = can(actor, 'sensitive:read');
    const changes = diffSnapshots(before?.snapshot as Record<string, unknown> | undefined, after?.snapshot as Record<string, unknown> | undefined, this.cipher, reveal);
    if (reveal && changes.some((c) => c.sensitive)) {
      await recordAudit({ action: 'read-sensitive', resourceType: 'student', resourceId: String(student._id), fields: changes.filter((c) => c.sensitive).map((c) => c.field), college: student.college });
    }
    return { from: fromYear, to: toYear, fromRevision: before?.revision ?? null, toRevision: after?.revision ?? null, changes };
  }
}
