import type { Model } from 'mongoose';
import { recordAudit } from '../audit/audit.service';

/**
 * Inserts every document it can (unordered, through the model: cast, defaults and audit) and returns the
 * positions refused for a duplicate key; any other failure is thrown. Used where a unique key decides
 * who wins (revision claims, student numbers, one letter per family). `lean` skips mongoose's casting and
 * validation for documents the caller built in the model's exact shape — at thousands of documents the
 * casting costs more than the insert.
 */
export async function insertAllowingDuplicates(model: Model<never>, docs: Array<Record<string, unknown>>, resourceType: string, options: { lean?: boolean } = {}): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await model.insertMany(docs, options.lean ? { ordered: false, lean: true } : { ordered: false, throwOnValidationError: true });
    return new Set();
  } catch (error) {
    const writeErrors = (error as { writeErrors?: Array<{ index: number; code: number }> | { index: number; code: number } }).writeErrors;
    const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (list.length === 0 || list.some((e) => e.code !== 11000)) throw error;
    // The model's audit hook runs only when every document went in: audit the others here.
    if (docs.length > list.length) await recordAudit({ action: 'create', resourceType, count: docs.length - list.length });
    return new Set(list.map((e) => e.index));
  }
}
