import type { Schema } from 'mongoose';

/** Fields whose change moves a student between the groups enrolment is counted by (student lists also count by counselor). */
const COUNTED_BY = ['college', 'counselor', 'grade', 'major'];

let generation = 0;

/** Counts kept until now are stale: enrolment changed (also called once the student directory has moved on). */
export function enrolmentChanged(): void {
  generation += 1;
}

/** Whether a change of these archive fields moves a student between the groups enrolment is counted by. */
export function movesEnrolment(fields: string[]): boolean {
  return fields.some((f) => COUNTED_BY.includes(f.split('.')[0]!));
}

function touchesCountedFields(update: unknown): boolean {
  if (!update || typeof update !== 'object') return true;
  if (Array.isArray(update)) return true; // an aggregation-pipeline update may set anything
  return Object.entries(update as Record<string, unknown>).some(([key, value]) =>
    key.startsWith('$') ? value && typeof value === 'object' && Object.keys(value).some((path) => COUNTED_BY.includes(path.split('.')[0]!)) : COUNTED_BY.includes(key));
}

/**
 * Marks the cached counts stale on every write through the Student model that adds, removes or moves a
 * student (a new archive, an import, an undo, a change of college, counselor, grade or major). A contact or a
 * confirmation, which only touch other fields, leaves them be.
 */
export function watchEnrolment(schema: Schema): void {
  const changed = enrolmentChanged;
  schema.pre('save', function () {
    if (this.isNew || COUNTED_BY.some((path) => this.isModified(path))) changed();
  });
  schema.pre('insertMany', changed);
  schema.pre(['deleteOne', 'deleteMany', 'findOneAndDelete'], changed);
  schema.pre(['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne'], function () {
    if (touchesCountedFields(this.getUpdate())) changed();
  });
  schema.pre('bulkWrite', changed);
}

/**
 * Enrolment figures (students per college, per grade and major) are what coverage is measured against —
 * an aggregation over the whole archive that the embedded engine answers in seconds at 40,000 students,
 * while enrolment changes a few times a term. Figures are kept for `ttlMs` and dropped at once when this
 * process changes enrolment; a change made by another replica (or straight in the database) shows within
 * `ttlMs`.
 */
export class EnrolmentCounts {
  private readonly entries = new Map<string, { at: number; generation: number; value: Promise<unknown> }>();

  constructor(private readonly ttlMs = 60_000) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && cached.generation === generation && now - cached.at < this.ttlMs) return cached.value as Promise<T>;
    const value = compute();
    this.entries.set(key, { at: now, generation, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
