import { Types } from 'mongoose';
import { calendarDate, formatCalendarDate } from '../calendar/academic-calendar';
import { problems, type FieldProblem } from '../http/problem';
import { staffDirectory } from '../identity/staff-directory';
import type { StudentsService } from '../students/students.service';
import type { z } from 'zod/v4';
import { field } from './campaign-errors';
import type { PlanEntry } from './visit-plan.model';
import type { planEntry } from './visits.schemas';
import { TARGET_TYPE_ZH, VISIT_KIND_ZH, VISIT_MODE_ZH, VISITOR_ROLE_ZH, VISITOR_ROLES, type VisitorRole } from './visit-vocabulary';

export type PlanEntryInput = z.output<typeof planEntry>;

/** A staff member's role as a visitor (D2): a college leader or teacher visits as "other staff". */
function visitorRoleOf(staffRole: string): VisitorRole {
  return (VISITOR_ROLES as readonly string[]).includes(staffRole) ? (staffRole as VisitorRole) : 'other';
}

/**
 * Turns the planned visits of a request into plan entries: every student must be in the college's
 * archive and planned once, every named staff member must exist. All problems at once, each under its
 * row (`entries[3].student`), so a form shows them on the right cells.
 */
export async function resolveEntries(
  students: StudentsService,
  college: Types.ObjectId,
  input: PlanEntryInput[],
  known: { ids: Set<string>; window: { startsOn: Date; endsOn: Date } },
): Promise<PlanEntry[]> {
  const found: FieldProblem[] = [];
  const archive = await students.plannable(input.map((e) => e.student));
  const staff = input.some((e) => e.visitors.some((v) => v.user)) ? await staffDirectory() : new Map();
  const rowOfStudent = new Map<string, number>();
  const rowOfId = new Map<string, number>();
  const entries: PlanEntry[] = [];
  input.forEach((e, i) => {
    const at = `entries[${i}]`;
    const student = archive.get(e.student);
    if (!student) found.push(field(`${at}.student`, `学生“${e.student}”不存在`, `no student "${e.student}" in the archive`, 'exists'));
    else if (!student.college.equals(college)) found.push(field(`${at}.student`, `学生 ${student.studentNo}（${student.name}）不属于本学院`, `student ${student.studentNo} belongs to another college`, 'college'));
    else if (rowOfStudent.has(String(student._id))) {
      const first = rowOfStudent.get(String(student._id))!;
      found.push(field(`${at}.student`, `学生 ${student.studentNo}（${student.name}）已在第 ${first + 1} 行，每名学生只能计划一次`, `student ${student.studentNo} is already planned in row ${first + 1}`, 'duplicate'));
    } else rowOfStudent.set(String(student._id), i);

    if (e.id !== undefined) {
      if (!known.ids.has(e.id)) found.push(field(`${at}.id`, '条目编号不属于本计划', 'not the id of an entry of this plan', 'exists'));
      else if (rowOfId.has(e.id)) found.push(field(`${at}.id`, `条目编号与第 ${rowOfId.get(e.id)! + 1} 行重复`, `the same entry id as row ${rowOfId.get(e.id)! + 1}`, 'duplicate'));
      else rowOfId.set(e.id, i);
    }

    const visitors = e.visitors.map((v, k) => {
      if (v.user !== undefined) {
        const ref = staff.get(v.user) ?? staff.get(v.user.toLowerCase());
        if (!ref) {
          found.push(field(`${at}.visitors[${k}].user`, `教职工“${v.user}”不存在`, `no staff member "${v.user}"`, 'exists'));
          return undefined;
        }
        return { user: ref._id, name: v.name ?? ref.displayName, role: v.role ?? visitorRoleOf(ref.role) };
      }
      if (!v.name) {
        found.push(field(`${at}.visitors[${k}].name`, '家访人员须选择教职工或填写姓名', 'name a staff member (user) or give a name', 'required'));
        return undefined;
      }
      return { name: v.name, role: v.role ?? 'other' };
    });

    let plannedOn: Date | undefined;
    if (e.plannedOn !== undefined) {
      plannedOn = calendarDate(e.plannedOn);
      if (!plannedOn) found.push(field(`${at}.plannedOn`, '日期无效', 'not a valid date', 'date'));
      else if (plannedOn < known.window.startsOn || plannedOn > known.window.endsOn) {
        const span = `${formatCalendarDate(known.window.startsOn)} – ${formatCalendarDate(known.window.endsOn)}`;
        found.push(field(`${at}.plannedOn`, `计划日期应在家访期间（${span}）内`, `must lie within the visit window (${span})`, 'window'));
      }
    }
    if (!student || visitors.some((v) => !v)) return;
    const kept = visitors as Array<{ user?: Types.ObjectId; name: string; role: VisitorRole }>;
    entries.push({
      id: e.id ?? new Types.ObjectId().toHexString(),
      student: student._id,
      studentNo: student.studentNo,
      studentName: student.name,
      grade: student.grade,
      major: student.major,
      className: student.className,
      targetType: e.targetType ?? 'current',
      mode: e.mode,
      kind: e.kind,
      visitors: kept,
      leaderVisit: kept.some((v) => v.role === 'schoolLeader'),
      plannedOn,
      note: e.note ?? '',
    } as PlanEntry);
  });
  if (found.length) throw problems.validation(found);
  return entries;
}

/** What makes two versions of an entry the same visit (an amendment that changes any of it needs approval again). */
export function entrySignature(e: PlanEntry): string {
  return JSON.stringify([String(e.student), e.targetType, e.mode, e.kind, e.plannedOn ? formatCalendarDate(e.plannedOn) : null, e.note ?? '', e.visitors.map((v) => [v.user ? String(v.user) : null, v.name, v.role])]);
}

export function presentEntry(e: PlanEntry, approval?: 'approved' | 'pending') {
  return {
    id: e.id,
    student: String(e.student),
    studentNo: e.studentNo,
    studentName: e.studentName,
    grade: e.grade,
    major: e.major,
    className: e.className ?? '',
    targetType: e.targetType,
    targetTypeZh: TARGET_TYPE_ZH[e.targetType],
    mode: e.mode,
    modeZh: VISIT_MODE_ZH[e.mode],
    kind: e.kind,
    kindZh: VISIT_KIND_ZH[e.kind],
    visitors: e.visitors.map((v) => ({ user: v.user ? String(v.user) : null, name: v.name, role: v.role, roleZh: VISITOR_ROLE_ZH[v.role] })),
    leaderVisit: e.leaderVisit,
    plannedOn: e.plannedOn ? formatCalendarDate(e.plannedOn) : null,
    note: e.note ?? '',
    ...(approval ? { approval } : {}),
  };
}
