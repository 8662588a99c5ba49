import { registerSubmissionHandler, selectedKeys } from '../forms/submission-handlers';
import type { Actor } from '../identity/actor';
import type { StudentsService } from './students.service';

/** The student-archive form writes the archive itself (A1–A4): a new student number creates, a known one updates. */
export function registerArchiveForm(students: StudentsService): void {
  registerSubmissionHandler(
    'studentArchive',
    async (actor: Actor, data) => {
      const guardians = Array.isArray(data.guardians)
        ? (data.guardians as Array<Record<string, unknown>>).map((g) => ({ name: g.guardianName, relation: g.relation, phone: g.phone }))
        : undefined;
      const raw: Record<string, unknown> = {
        studentNo: data.studentNo, name: data.studentName, gender: data.gender, birthDate: data.birthDate, college: data.college, major: data.major,
        grade: data.grade, className: data.className, counselor: data.counselor || undefined, guardians, homeAddress: data.homeAddress,
        careTier: data.careTier, specialCategories: data.careTier === 'special' ? selectedKeys(data.specialCategories) : undefined,
        supportPlan: data.supportPlan, medicalHistory: data.medicalHistory, psychologicalFlags: data.psychologicalFlags, familyFinances: data.familyFinances,
      };
      const student = await students.upsert(actor, raw);
      return { type: 'student', id: student.id };
    },
    { fieldPaths: { name: 'studentName', 'guardians.name': 'guardianName' } },
  );
}
