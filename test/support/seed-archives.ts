import mongoose, { type Types } from 'mongoose';
import { syncStudentDirectory } from '../../server/students/directory/student-directory';

/** A student number of the seeded archives: the prefix and the index, five digits. */
export const seededNumber = (prefix: string, i: number): string => `${prefix}${String(i).padStart(5, '0')}`;

/**
 * Inserts `count` bare archives of one college straight into the database, numbered `<prefix>00000…`:
 * the quick set-up for rules that count students (coverage). `vary` sets fields per index. Written
 * outside the service, they reach the student directory the way such writes always do: by the pass over
 * the archives that a start makes.
 */
export async function seedArchives(college: Types.ObjectId, prefix: string, count: number, vary: (i: number) => Record<string, unknown> = () => ({})): Promise<void> {
  await mongoose.connection.collection('students').insertMany(
    Array.from({ length: count }, (_, i) => ({
      studentNo: seededNumber(prefix, i), name: `学生${prefix}${i}`, gender: i % 2 ? 'male' : 'female', birthDate: new Date(Date.UTC(2005, 0, 1)), college,
      major: '会计', grade: '2024', className: '会计1班', careTier: 'general', guardians: [], specialCategories: [], assistanceRecords: [], sealed: {}, revision: 1,
      ...vary(i),
    })),
  );
  await syncStudentDirectory();
}
