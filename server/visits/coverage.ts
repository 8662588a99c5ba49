import type { Types } from 'mongoose';
import type { StudentsService } from '../students/students.service';

/**
 * D3: at least ⌈rate × students⌉ planned visits of distinct students. The rate is kept in basis points
 * (100 = 1%) so the bound is computed in whole numbers: 0.07 × 100 in floating point is 7.000000000000001,
 * whose ceiling would ask for one visit too many.
 */
export function requiredVisits(students: number, basisPoints: number): number {
  return Math.floor((students * basisPoints + 9_999) / 10_000);
}

/** `1%`, `1.5%`, `0.25%`. */
export function percentText(basisPoints: number): string {
  return `${Number((basisPoints / 100).toFixed(2))}%`;
}

const thousands = (n: number) => n.toLocaleString('en-US');

export interface CoverageCount {
  enrolled: number;
  basisPoints: number;
  required: number;
  /** Distinct students of the planned visits that count towards coverage. */
  counted: number;
}

/** "需至少 35 人（3,412 × 1%），当前 34 人" and its English twin; undefined when coverage is met. */
export function coverageShortfall(c: CoverageCount): { zh: string; en: string } | undefined {
  if (c.counted >= c.required) return undefined;
  return {
    zh: `需至少 ${c.required} 人（${thousands(c.enrolled)} × ${percentText(c.basisPoints)}），当前 ${c.counted} 人`,
    en: `at least ${c.required} students needed (${thousands(c.enrolled)} × ${percentText(c.basisPoints)}), ${c.counted} planned`,
  };
}

export interface PlannedForCoverage {
  student: Types.ObjectId;
  grade: string;
  major: string;
  leaderVisit: boolean;
}

export interface GroupCoverage {
  enrolled: number;
  planned: number;
}

/**
 * Coverage of a plan against the college's archive: the total and per grade and per major. Enrolled
 * counts come from the students module (one aggregation); planned counts from the plan's entries, each
 * student once.
 */
export async function planCoverage(students: StudentsService, college: Types.ObjectId, entries: readonly PlannedForCoverage[], settings: { basisPoints: number; leaderVisitsCount: boolean }) {
  const groups = await students.countByGradeAndMajor(college);
  const enrolled = groups.reduce((sum, g) => sum + g.count, 0);
  const counting = entries.filter((e) => settings.leaderVisitsCount || !e.leaderVisit);
  const distinct = new Map(counting.map((e) => [String(e.student), e]));
  const leaderStudents = new Set(entries.filter((e) => e.leaderVisit).map((e) => String(e.student)));
  const by = (key: 'grade' | 'major') => {
    const table = new Map<string, GroupCoverage>();
    for (const g of groups) {
      const row = table.get(g[key]) ?? { enrolled: 0, planned: 0 };
      row.enrolled += g.count;
      table.set(g[key], row);
    }
    for (const e of distinct.values()) {
      const row = table.get(e[key]) ?? { enrolled: 0, planned: 0 };
      row.planned += 1;
      table.set(e[key], row);
    }
    return [...table.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, row]) => ({ [key]: name, ...row }));
  };
  const count: CoverageCount = { enrolled, basisPoints: settings.basisPoints, required: requiredVisits(enrolled, settings.basisPoints), counted: distinct.size };
  const shortfall = coverageShortfall(count);
  return {
    ...count,
    percent: percentText(settings.basisPoints),
    met: !shortfall,
    message: shortfall?.zh ?? null,
    messageEn: shortfall?.en ?? null,
    leaderVisits: { students: leaderStudents.size, countTowardCoverage: settings.leaderVisitsCount },
    byGrade: by('grade'),
    byMajor: by('major'),
  };
}
