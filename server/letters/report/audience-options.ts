import type { Types } from 'mongoose';
import { listColleges } from '../../colleges/colleges.service';
import { readStudentDirectory } from '../../students/directory/student-directory';

/**
 * What a letter can be aimed at (B6 §1): every college with its grades and how many students each has —
 * counted from the student directory, for the compose page's audience picker.
 */
export async function audienceOptions() {
  const [colleges, students] = await Promise.all([listColleges(), readStudentDirectory()]);
  const counted = new Map<string, { _id: { college: Types.ObjectId; grade: string }; n: number }>();
  for (const s of students) {
    const key = `${String(s.college)}|${s.grade}`;
    const group = counted.get(key) ?? { _id: { college: s.college, grade: s.grade }, n: 0 };
    group.n += 1;
    counted.set(key, group);
  }
  const groups = [...counted.values()];
  const grades = new Map<string, Array<{ grade: string; students: number }>>();
  for (const g of groups) {
    const own = grades.get(String(g._id.college)) ?? [];
    own.push({ grade: g._id.grade, students: g.n });
    grades.set(String(g._id.college), own);
  }
  const all = [...new Set(groups.map((g) => g._id.grade))].filter(Boolean).sort();
  return {
    colleges: colleges.map((c) => {
      const own = (grades.get(String(c._id)) ?? []).sort((a, b) => a.grade.localeCompare(b.grade));
      return { id: String(c._id), code: c.code, name: c.name, students: own.reduce((sum, g) => sum + g.students, 0), grades: own };
    }),
    grades: all,
  };
}
