import { formatCalendarDate } from '../calendar/academic-calendar';
import type { FieldCipher } from '../security/field-cipher';
import type { ArchiveInput } from './archive-input';
import { SENSITIVE_FIELDS } from './student.model';

export interface FieldChange {
  field: string;
  from?: unknown;
  to?: unknown;
  sensitive?: boolean;
}

/** The archive fields a change may touch, with `college`/`counselor` already resolved to ids. */
export type ResolvedArchive = Omit<ArchiveInput, 'college' | 'counselor' | 'sensitive'> & {
  college?: import('mongoose').Types.ObjectId;
  counselor?: import('mongoose').Types.ObjectId | null;
  sensitive?: ArchiveInput['sensitive'];
};

const PLAIN_FIELDS = ['studentNo', 'name', 'gender', 'birthDate', 'college', 'major', 'grade', 'className', 'counselor', 'guardians', 'homeAddress', 'careTier', 'specialCategories', 'supportPlan'] as const;

function comparable(value: unknown): string {
  if (value instanceof Date) return formatCalendarDate(value);
  if (value && typeof value === 'object' && 'toHexString' in value) return String(value);
  if (Array.isArray(value)) return JSON.stringify(value.map((v) => (v && typeof v === 'object' && 'toObject' in v ? (v as { toObject(): unknown }).toObject() : v)));
  return JSON.stringify(value ?? null);
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return formatCalendarDate(value);
  if (value && typeof value === 'object' && 'toHexString' in value) return String(value);
  return JSON.parse(JSON.stringify(value ?? null));
}

/**
 * Applies the given fields to a student document and lists what really changed. Sensitive fields are
 * compared in memory after decryption, re-encrypted when changed, and listed without values.
 */
export function applyArchive(doc: Record<string, unknown> & { sealed?: unknown }, input: ResolvedArchive, cipher: FieldCipher): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of PLAIN_FIELDS) {
    const next = (input as Record<string, unknown>)[field];
    if (next === undefined) continue;
    const current = doc[field];
    if (comparable(current) === comparable(next)) continue;
    changes.push({ field, from: plain(current), to: plain(next) });
    doc[field] = next;
  }
  const sealed = { ...((doc.sealed ?? {}) as Record<string, string>) };
  for (const field of SENSITIVE_FIELDS) {
    const next = input.sensitive?.[field];
    if (next === undefined) continue;
    const current = sealed[field] ? (cipher.decrypt(sealed[field]) as string) : null;
    if ((current ?? null) === (next ?? null)) continue;
    if (next === null) delete sealed[field];
    else sealed[field] = cipher.encrypt(next);
    changes.push({ field, sensitive: true });
  }
  doc.sealed = sealed;
  return changes;
}

/** What a revision keeps of the archive: every field, sensitive ones only as ciphertext. */
export function snapshotOf(doc: Record<string, unknown>): Record<string, unknown> {
  const snapshot: Record<string, unknown> = {};
  for (const field of PLAIN_FIELDS) snapshot[field] = plain(doc[field]);
  snapshot.sealed = doc.sealed ?? {};
  return snapshot;
}

/** Differences between two snapshots (year-to-year view); sensitive values only when `reveal` is given. */
export function diffSnapshots(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  cipher: FieldCipher,
  reveal: boolean,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of PLAIN_FIELDS) {
    const from = before?.[field] ?? null;
    const to = after?.[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  }
  const open = (snapshot: Record<string, unknown> | undefined, field: string): string | null => {
    const token = ((snapshot?.sealed ?? {}) as Record<string, string>)[field];
    return token ? (cipher.decrypt(token) as string) : null;
  };
  for (const field of SENSITIVE_FIELDS) {
    const from = open(before, field);
    const to = open(after, field);
    if (from === to) continue;
    changes.push(reveal ? { field, from, to, sensitive: true } : { field, sensitive: true });
  }
  return changes;
}

/** What a change would do to an archive, without touching it: the fields to `$set` and the change list. */
export function planArchiveChange(before: Record<string, unknown>, input: ResolvedArchive, cipher: FieldCipher): { set: Record<string, unknown>; changes: FieldChange[] } {
  const after: Record<string, unknown> & { sealed?: unknown } = { ...before, sealed: { ...((before.sealed ?? {}) as object) } };
  const changes = applyArchive(after, input, cipher);
  const set: Record<string, unknown> = {};
  for (const change of changes) {
    if (change.sensitive) set.sealed = after.sealed;
    else set[change.field] = after[change.field];
  }
  return { set, changes };
}
