import { Types, type HydratedDocument } from 'mongoose';
import { recordAudit } from '../audit/audit.service';
import { academicYearOf, academicYearRange, ageOn, formatCalendarDate, type CalendarSettings } from '../calendar/academic-calendar';
import { collegeDirectory } from '../colleges/colleges.service';
import { ApiError, problems, type FieldProblem } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan, mayActForCollege, mayReadRecord, mayReferTo, maySeeSensitive, scopeFilter, SENSITIVE_REASON_MIN_LENGTH, sensitiveReadNeedsReason, sensitiveReadRefusal } from '../identity/policy';
import { UserModel } from '../identity/user.model';
import { CollegeModel } from '../colleges/college.model';
import { withheldOnReplay } from '../idempotency/withheld-fields';
import { staffDirectory } from '../identity/staff-directory';
import type { FieldCipher } from '../security/field-cipher';
import { applyArchive, diffSnapshots, planArchiveChange, type FieldChange, type ResolvedArchive } from './archive-changes';
import { commitArchiveWrite, createArchive, RevisionConflictError, type RevisionSource } from './archive-writer';
import { parseArchiveInput, type ArchiveInput } from './archive-input';
import { ArchiveRevisionModel } from './archive-revision.model';
import { SENSITIVE_FIELDS, StudentModel, type Student } from './student.model';
import { directoryInStep, ensureDirectoryPass, readStudentDirectoryWithGaps } from './directory/student-directory';
import { StudentNumbers } from './student-numbers';
import { EnrolmentCounts } from './enrolment-counts';
import { pageWithTotal } from '../db/page-with-total';

export type StudentDoc = HydratedDocument<Student>;

export interface StudentQuery {
  text?: string;
  grade?: string;
  major?: string;
  careTier?: string;
  counselor?: string;
  college?: string;
  /** Only archives not confirmed or changed in this academic year (A3). */
  staleFor?: string;
  /** Key paging: the students numbered after this one (instead of `skip`). */
  after?: string;
  limit: number;
  skip: number;
}

export interface Directories {
  colleges: Awaited<ReturnType<typeof collegeDirectory>>;
  staff: Awaited<ReturnType<typeof staffDirectory>>;
}

function unknownFilter(field: string, zh: string, value: string) {
  return problems.badRequest(`Unknown ${field} "${value}"`, `${zh}“${value}”不存在`, [{ path: field, message: `${zh}“${value}”不存在`, messageEn: `no ${field} "${value}"`, rule: 'exists' }]);
}

export interface StudentBrief {
  studentNo: string;
  studentName: string;
  className: string;
}

/** A student as the tasks of the counselor who looks after them need it. */
export interface CaseloadStudent {
  _id: Types.ObjectId;
  studentNo: string;
  name: string;
  className: string;
  careTier: string;
  lastContactAt: Date | null;
  lastConfirmedYear: string | null;
}

/** Students of one college, counselor, grade and major. */
interface EnrolmentGroup {
  college: string;
  counselor: string;
  grade: string;
  major: string;
  count: number;
}

export class StudentsService {
  readonly numbers = new StudentNumbers();
  private readonly enrolment = new EnrolmentCounts();

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
  resolve(actor: Actor, input: ArchiveInput, directories: Directories, currentCollege?: Types.ObjectId): { value: ResolvedArchive; problems: FieldProblem[] } {
    const found: FieldProblem[] = [];
    const { college, counselor, ...rest } = input;
    const value: ResolvedArchive = { ...rest };
    if (college !== undefined) {
      const ref = directories.colleges.get(college);
      if (!ref) found.push({ path: 'college', message: `院系“${college}”不存在`, messageEn: `unknown college "${college}"`, rule: 'exists' });
      else if (!mayActForCollege(actor, ref._id)) {
        found.push({ path: 'college', message: '只能处理本院系的学生', messageEn: 'you may only manage students of your own college', rule: 'scope' });
      } else value.college = ref._id;
    }
    if (counselor !== undefined) {
      if (counselor === null) value.counselor = null;
      else {
        const ref = directories.staff.get(counselor);
        const college = value.college ?? currentCollege;
        if (!ref || ref.role !== 'counselor') {
          found.push({ path: 'counselor', message: `辅导员“${counselor}”不存在`, messageEn: `no counselor "${counselor}"`, rule: 'exists' });
        } else if (college && !ref.college?.equals(college)) {
          found.push({ path: 'counselor', message: `辅导员“${counselor}”不属于该学生的院系`, messageEn: `counselor "${counselor}" belongs to another college`, rule: 'scope' });
        } else value.counselor = ref._id;
      }
    }
    return { value, problems: found };
  }

  /** An archive the actor may read. */
  async findScoped(actor: Actor, id: string): Promise<StudentDoc> {
    return this.findWithin(id, (student) => mayReadRecord(actor, 'student', student));
  }

  /** A student the actor may name in a case, a contact or an award (their college's), without reading the archive. */
  async findReferable(actor: Actor, id: string): Promise<StudentDoc> {
    return this.findWithin(id, (student) => mayReferTo(actor, student));
  }

  /** Read by `_id` (a number is turned into its id first), then checked in memory: the scope is not part of the query. */
  private async findWithin(id: string, allowed: (student: StudentDoc) => boolean): Promise<StudentDoc> {
    const student = await this.byIdOrNumber(id);
    if (!student || !allowed(student)) throw problems.notFound('Student', '学生');
    return student;
  }

  private async byIdOrNumber(id: string): Promise<StudentDoc | null> {
    if (/^[0-9a-f]{24}$/.test(id)) return StudentModel.findById(id);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const known = await this.numbers.idOf(id);
      if (!known) return null;
      const student = await StudentModel.findById(known);
      if (student?.studentNo === id) return student;
      this.numbers.forget(id);
    }
    return null;
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
    const reveal = options.sensitive && maySeeSensitive(actor, student) && sealedKeys.length > 0;
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
      birthDate: formatCalendarDate(student.birthDate),
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

  /** Which sensitive fields the archive holds, and whether (and how) this actor may open them — no value. */
  sensitiveAccess(actor: Actor, student: StudentDoc) {
    const sealed = (student.sealed ?? {}) as Record<string, string>;
    const refusal = sensitiveReadRefusal(actor, student);
    return {
      fields: SENSITIVE_FIELDS.filter((f) => sealed[f]),
      mayShow: refusal === null,
      reasonRequired: refusal === null && sensitiveReadNeedsReason(actor, student),
      reasonMinLength: SENSITIVE_REASON_MIN_LENGTH,
      refusal: refusal && { messageZh: refusal.zh, messageEn: refusal.en },
    };
  }

  /**
   * The archive without its sensitive values (nothing decrypted, nothing audited), as the student page
   * opens it: with the college's and the counselor's names, and what the actor may do with the
   * sensitive part (`sensitiveAccess`). Two point reads by `_id`.
   */
  async presentClosed(actor: Actor, student: StudentDoc) {
    const [college, counselor] = await Promise.all([
      CollegeModel.findById(student.college).select('code name').lean(),
      student.counselor ? UserModel.findById(student.counselor).select('displayName').lean() : null,
    ]);
    return {
      ...(await this.present(actor, student, { sensitive: false })),
      collegeCode: college?.code ?? null,
      collegeName: college?.name ?? null,
      counselorName: counselor?.displayName ?? null,
      sensitiveAccess: this.sensitiveAccess(actor, student),
    };
  }

  /**
   * Break-glass: opens the archive's sensitive part on an explicit request, with the reason the policy
   * asks for (`sensitiveReadNeedsReason`), and writes one `read-sensitive` audit entry naming the fields
   * and the reason. Refused with the need-to-know explanation (403) to those outside the sensitive scope.
   * The values are withheld from a stored `Idempotency-Key` answer: every disclosure is an audited one.
   */
  async openSensitive(actor: Actor, id: string, reason: string | undefined) {
    const student = await this.findScoped(actor, id);
    const refusal = sensitiveReadRefusal(actor, student);
    if (refusal) throw new ApiError(403, 'SENSITIVE_NEED_TO_KNOW', refusal.en, refusal.zh);
    const why = (reason ?? '').replace(/\s+/g, ' ').trim();
    if (sensitiveReadNeedsReason(actor, student) && [...why].length < SENSITIVE_REASON_MIN_LENGTH) {
      throw problems.validation([
        {
          path: 'reason',
          message: `查看非本人负责学生的敏感信息须填写原因（至少 ${SENSITIVE_REASON_MIN_LENGTH} 个字）：说明查看哪一项、为什么，例如“核对医疗史，安排军训免训”`,
          messageEn: `opening the sensitive part of a student you do not look after needs a reason (at least ${SENSITIVE_REASON_MIN_LENGTH} characters): say which field and why, e.g. "medical history, to excuse military training"`,
          rule: why ? 'minLength' : 'required',
        },
      ]);
    }
    const sealed = (student.sealed ?? {}) as Record<string, string>;
    const fields = SENSITIVE_FIELDS.filter((f) => sealed[f]);
    const values: Record<string, unknown> = {};
    for (const field of fields) values[field] = this.cipher.decrypt(sealed[field]!);
    if (fields.length > 0) {
      await recordAudit({ action: 'read-sensitive', resourceType: 'student', resourceId: String(student._id), fields, college: student.college, reason: why || undefined });
    }
    return withheldOnReplay({ student: String(student._id), studentNo: student.studentNo, fields, values, reason: why || null, audited: fields.length > 0 }, 'values');
  }

  async search(actor: Actor, query: StudentQuery) {
    const filter: Record<string, unknown> = { ...scopeFilter(actor, 'student') };
    if (query.text) {
      const escaped = query.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      filter.$or = [{ studentNo: { $regex: `^${escaped}` } }, { name: { $regex: escaped } }];
    }
    if (query.grade) filter.grade = query.grade;
    if (query.major) filter.major = query.major;
    if (query.careTier) filter.careTier = query.careTier;
    if (query.counselor || query.college) {
      const { colleges, staff } = await this.directories();
      if (query.counselor) {
        const counselor = staff.get(query.counselor);
        if (!counselor) throw unknownFilter('counselor', '辅导员', query.counselor);
        filter.counselor = counselor._id;
      }
      if (query.college) {
        const college = colleges.get(query.college);
        if (!college) throw unknownFilter('college', '院系', query.college);
        // A college-scoped actor asking for another college sees nothing, as for any record out of scope.
        filter.college = filter.college && !college._id.equals(filter.college as Types.ObjectId) ? new Types.ObjectId() : college._id;
      }
    }
    if (query.staleFor) filter.lastConfirmedYear = { $ne: query.staleFor };
    const presentAll = (items: StudentDoc[]) => Promise.all(items.map((s) => this.present(actor, s, { sensitive: false }))); // listings never decrypt
    if (query.after !== undefined) {
      // Paging by key: the next page starts after the last number of the previous one, however deep.
      const items = await StudentModel.find({ ...filter, studentNo: { $gt: query.after } }).sort({ studentNo: 1 }).limit(query.limit);
      return { items: await presentAll(items), next: items.length === query.limit ? items[items.length - 1]!.studentNo : null };
    }
    const page = await pageWithTotal(StudentModel.find(filter).sort({ studentNo: 1 }).skip(query.skip).limit(query.limit), () => this.countMatching(filter), query.skip, query.limit);
    const items = page.items;
    // A kept count a moment behind a write never says fewer than the page shows.
    const total = Math.max(page.total, query.skip + items.length);
    return { items: await presentAll(items), total, next: items.length === query.limit ? items[items.length - 1]!.studentNo : null };
  }

  private write(actor: Actor, student: StudentDoc, set: Record<string, unknown>, changes: FieldChange[], source: RevisionSource, confirms = true): Promise<number> {
    return commitArchiveWrite(actor, { before: student.toObject(), set, changes, source, academicYear: this.currentYear(), confirms });
  }

  private async reread(actor: Actor, id: Types.ObjectId) {
    const student = await StudentModel.findById(id);
    if (!student) throw problems.notFound('Student', '学生');
    return this.present(actor, student);
  }

  async create(actor: Actor, input: ArchiveInput) {
    assertCan(actor, 'students:write');
    const { value, problems: found } = this.resolve(actor, input, await this.directories());
    if (found.length) throw problems.validation(found);
    const doc: Record<string, unknown> & { _id: Types.ObjectId; studentNo: string } = { _id: new Types.ObjectId(), studentNo: value.studentNo!, sealed: {} };
    const changes = applyArchive(doc, value, this.cipher);
    await createArchive(actor, doc, changes, 'api', this.currentYear());
    return this.reread(actor, doc._id);
  }

  /**
   * Changes an archive. `expectedRevision` (the client's `If-Match`) must be the revision now on file;
   * without it the revision read at the start of this request is expected, so a change made meanwhile
   * by someone else is never overwritten.
   */
  async update(actor: Actor, id: string, input: ArchiveInput, expectedRevision?: number) {
    assertCan(actor, 'students:write');
    const student = await this.findScoped(actor, id);
    if (expectedRevision !== undefined && expectedRevision !== student.revision) throw new RevisionConflictError(student.studentNo, expectedRevision);
    const { value, problems: found } = this.resolve(actor, input, await this.directories(), student.college);
    if (value.studentNo && value.studentNo !== student.studentNo) {
      found.push({ path: 'studentNo', message: '学号不可修改', messageEn: 'the student number cannot change', rule: 'immutable' });
    }
    if (found.length) throw problems.validation(found);
    const { set, changes } = planArchiveChange(student.toObject(), value, this.cipher);
    if (changes.length > 0) await this.write(actor, student, set, changes, 'api');
    return { changes, student: await this.reread(actor, student._id) };
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
    await this.write(actor, student, {}, [], 'confirm');
    const confirmed = await StudentModel.findById(student._id);
    return this.present(actor, confirmed!, { sensitive: false });
  }

  async addAssistance(actor: Actor, id: string, record: { date: Date; kind: string; description: string }) {
    assertCan(actor, 'students:write');
    const student = await this.findScoped(actor, id);
    const records = [...student.toObject().assistanceRecords, { _id: new Types.ObjectId(), ...record, recordedBy: actor.userId }];
    await this.write(actor, student, { assistanceRecords: records }, [{ field: 'assistanceRecords', to: record.kind }], 'api', false);
    const updated = await StudentModel.findById(student._id);
    return this.present(actor, updated!, { sensitive: false });
  }

  /**
   * Kept by the liaison module whenever a contact with the family is logged (B2 cadence). A point update
   * with `$max`: never moves the date back, and is no archive change (the revision stays).
   */
  async noteContact(studentId: Types.ObjectId, at: Date): Promise<void> {
    await StudentModel.updateOne({ _id: studentId }, { $max: { lastContactAt: at } });
  }

  /**
   * The students one counselor looks after — or, with `counselor: null`, those no counselor looks after —
   * within the actor's scope, with what their tasks need (My tasks): one query on the indexed `counselor`
   * field, ordered by number and bounded (`truncated` when there are more).
   */
  async caseload(actor: Actor, counselor: Types.ObjectId | null, limit: number): Promise<{ students: CaseloadStudent[]; truncated: boolean }> {
    const found = await StudentModel.find({ ...scopeFilter(actor, 'student'), counselor })
      .select('studentNo name className careTier lastContactAt lastConfirmedYear')
      .sort({ studentNo: 1 })
      .limit(limit + 1)
      .lean();
    const students = found.slice(0, limit).map((s) => ({
      _id: s._id, studentNo: s.studentNo, name: s.name, className: s.className, careTier: s.careTier, lastContactAt: s.lastContactAt ?? null, lastConfirmedYear: s.lastConfirmedYear ?? null,
    }));
    return { students, truncated: found.length > limit };
  }

  /**
   * Students of one college per grade and major, for visit coverage (D3): from the kept enrolment groups
   * (one pass over the student directory's compact entries, ≈ 3 s at 40,000 where an aggregation over the
   * archives takes ≈ 5.5 s).
   */
  async countByGradeAndMajor(college: Types.ObjectId): Promise<Array<{ grade: string; major: string; count: number }>> {
    const byGradeAndMajor = new Map<string, { grade: string; major: string; count: number }>();
    for (const group of (await this.enrolmentGroups()).groups) {
      if (group.college !== String(college)) continue;
      const key = JSON.stringify([group.grade, group.major]);
      const counted = byGradeAndMajor.get(key) ?? { grade: group.grade, major: group.major, count: 0 };
      counted.count += group.count;
      byGradeAndMajor.set(key, counted);
    }
    return [...byGradeAndMajor.values()];
  }

  /** Students per college (from the kept enrolment groups), for a campaign's overview of all colleges. */
  async countByCollege(colleges: Types.ObjectId[]): Promise<Map<string, number>> {
    const wanted = new Set(colleges.map(String));
    const counts = new Map<string, number>();
    for (const group of (await this.enrolmentGroups()).groups) {
      if (wanted.has(group.college)) counts.set(group.college, (counts.get(group.college) ?? 0) + group.count);
    }
    return counts;
  }

  /**
   * How many archives a list filter matches. A filter of college, counselor, grade and major only (a
   * scope, a college's or a counselor's list) is answered from the kept enrolment groups — a count over
   * the archives is a pass over all of them on the embedded engine, as long as the page itself; any other
   * filter (a search, a care tier…) is counted in the database.
   */
  private async countMatching(filter: Record<string, unknown>): Promise<number> {
    const grouped = ['college', 'counselor', 'grade', 'major'] as const;
    const plain = Object.entries(filter).every(([key, value]) => (grouped as readonly string[]).includes(key) && (typeof value === 'string' || value instanceof Types.ObjectId));
    if (!plain) return StudentModel.countDocuments(filter);
    if (!directoryInStep()) {
      // A failed write left the directory behind (or the start-up pass is still running): counted in the database meanwhile.
      ensureDirectoryPass();
      return StudentModel.countDocuments(filter);
    }
    const { groups, unusable } = await this.enrolmentGroups();
    // A directory entry that cannot be used (an archive without a college…) would be missing from the sums.
    if (unusable > 0) return StudentModel.countDocuments(filter);
    let total = 0;
    for (const group of groups) {
      if (grouped.every((key) => filter[key] === undefined || String(filter[key]) === group[key])) total += group.count;
    }
    return total;
  }

  /**
   * Students per college, counselor, grade and major (`''` for no counselor), from the student directory,
   * kept as enrolment counts are; `unusable` counts the entries that could not be used.
   */
  private enrolmentGroups(): Promise<{ groups: EnrolmentGroup[]; unusable: number }> {
    return this.enrolment.get('groups', async () => {
      const { students, unusable } = await readStudentDirectoryWithGaps();
      const groups = new Map<string, EnrolmentGroup>();
      for (const s of students) {
        const group = { college: String(s.college), counselor: s.counselor ? String(s.counselor) : '', grade: s.grade, major: s.major };
        const key = JSON.stringify(group);
        const counted = groups.get(key) ?? { ...group, count: 0 };
        counted.count += 1;
        groups.set(key, counted);
      }
      return { groups: [...groups.values()], unusable };
    });
  }

  /**
   * The students named in a visit plan, by archive id (point reads) or student number (one query), with
   * what a plan shows of them; names that match no archive are left out of the map.
   */
  async plannable(refs: string[]): Promise<Map<string, { _id: Types.ObjectId; studentNo: string; name: string; college: Types.ObjectId; grade: string; major: string; className: string }>> {
    const fields = 'studentNo name college grade major className';
    const ids = [...new Set(refs.filter((r) => /^[0-9a-f]{24}$/.test(r)))];
    const numbers = [...new Set(refs.filter((r) => !/^[0-9a-f]{24}$/.test(r)))];
    // Numbers with a known id are read by `_id` like ids; only the rest need a search of the archives.
    const hinted = numbers.map((no) => [no, this.numbers.known(no)] as const).filter((pair): pair is readonly [string, Types.ObjectId] => !!pair[1]);
    const byHint = (await Promise.all(hinted.map(([, id]) => StudentModel.findById(id).select(fields).lean()))).filter((s, i) => {
      if (s?.studentNo === hinted[i]![0]) return true;
      this.numbers.forget(hinted[i]![0]);
      return false;
    });
    const unresolved = numbers.filter((no) => !byHint.some((s) => s!.studentNo === no));
    const [byId, bySearch] = await Promise.all([
      Promise.all(ids.map((id) => StudentModel.findById(id).select(fields).lean())),
      unresolved.length ? StudentModel.find({ studentNo: { $in: unresolved } }).select(fields).lean() : Promise.resolve([]),
    ]);
    for (const s of bySearch) this.numbers.remember(s.studentNo, s._id);
    const byNumber = [...byHint, ...bySearch];
    const found = new Map<string, { _id: Types.ObjectId; studentNo: string; name: string; college: Types.ObjectId; grade: string; major: string; className: string }>();
    for (const s of [...byId, ...byNumber]) {
      if (!s) continue;
      const brief = { _id: s._id, studentNo: s.studentNo, name: s.name, college: s.college, grade: s.grade, major: s.major, className: s.className };
      found.set(String(s._id), brief);
      found.set(s.studentNo, brief);
    }
    return found;
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
      ...(r.origin?.visitReport ? { origin: { visitReport: r.origin.visitReport, version: r.origin.version, note: `家访报告 ${r.origin.visitReport} 第 ${r.origin.version} 版`, noteEn: `from visit report ${r.origin.visitReport} v${r.origin.version}` } } : {}),
    }));
  }

  /** Year-to-year view: the archive as it stood at the end of each year, and what differs. */
  async yearDiff(actor: Actor, id: string, fromYear: string, toYear: string, options: { sensitive: boolean } = { sensitive: true }) {
    const student = await this.findScoped(actor, id);
    const at = async (year: string) =>
      ArchiveRevisionModel.findOne({ student: student._id, at: { $lte: academicYearRange(year, this.calendar).end } }).sort({ revision: -1 }).lean();
    const [before, after] = await Promise.all([at(fromYear), at(toYear)]);
    // Without `sensitive`, a changed sensitive field is named without its values and nothing is audited.
    const reveal = options.sensitive && maySeeSensitive(actor, student);
    const changes = diffSnapshots(before?.snapshot as Record<string, unknown> | undefined, after?.snapshot as Record<string, unknown> | undefined, this.cipher, reveal);
    if (reveal && changes.some((c) => c.sensitive)) {
      await recordAudit({ action: 'read-sensitive', resourceType: 'student', resourceId: String(student._id), fields: changes.filter((c) => c.sensitive).map((c) => c.field), college: student.college });
    }
    return { from: fromYear, to: toYear, fromRevision: before?.revision ?? null, toRevision: after?.revision ?? null, changes };
  }
}
