import type { Component } from '@formio/core';
import { Utils } from '@formio/core';
import { problems } from '../http/problem';
import type { FieldCipher } from './field-cipher';
import { dataPathOf, parentAt, segmentsOf, setAt, storageKeyOf, type PathSegment } from './sealed-paths';

/**
 * A4 — the one definition of sensitive data (PIPL arts. 28–29): what is sensitive, how it is sealed and
 * opened, and where ciphertexts are stored. Sensitive values are never stored in plain text; they live
 * AES-256-GCM encrypted (FieldCipher) in a `sealed` map, are opened only for `sensitive:read`, and each
 * opening is audited by the module that presents the record.
 */

/** The student archive's sensitive fields; the student-archive form marks exactly these components. */
export const ARCHIVE_SENSITIVE_FIELDS = ['medicalHistory', 'psychologicalFlags', 'familyFinances'] as const;
export type ArchiveSensitiveField = (typeof ARCHIVE_SENSITIVE_FIELDS)[number];

/** Ciphertexts keyed by archive field name, or by the storage key of a form value's data path. */
export type SealedValues = Record<string, string>;

/**
 * Every place a ciphertext made with the field key is stored — what key rotation visits. `map`: an object
 * of ciphertexts (`sealed`); `value`: one ciphertext. Models are named, not imported: the kernel stays
 * apart from the domain modules that own them.
 */
export const SEALED_STORES = [
  { model: 'Student', path: 'sealed', shape: 'map', label: 'student archives' },
  { model: 'ArchiveRevision', path: 'snapshot.sealed', shape: 'map', label: 'archive history snapshots' },
  { model: 'Submission', path: 'sealed', shape: 'map', label: 'form submissions' },
  { model: 'VisitReport', path: 'sealed', shape: 'map', label: 'visit reports' },
  { model: 'VisitReportVersion', path: 'sealed', shape: 'map', label: 'submitted versions of visit reports' },
  { model: 'ArchiveProposal', path: 'sealed', shape: 'map', label: 'archive changes proposed by visit reports' },
  { model: 'IdempotencyRecord', path: 'sealedBody', shape: 'value', label: 'stored answers to retried writes' },
  { model: 'IdempotencyRecord', path: 'sealedFingerprint', shape: 'value', label: 'fingerprints of retried writes' },
  { model: 'WebhookSubscription', path: 'sealedSecret', shape: 'value', label: 'webhook signing secrets' },
] as const satisfies ReadonlyArray<{ model: string; path: string; shape: 'map' | 'value'; label: string }>;
export type SealedStore = (typeof SEALED_STORES)[number];

type MarkableComponent = Component & { properties?: Record<string, unknown> };

/** A form component is marked sensitive with `"properties": {"sensitive": "true"}`. */
export function isMarkedSensitive(component: Component): boolean {
  return (component as MarkableComponent).properties?.sensitive === 'true';
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Moves every sensitive value out of form data into sealed ciphertexts, at any depth: a marked field
 * inside a container, a data grid row or a panel; everything inside a marked panel; a marked container or
 * data grid as a whole. `data` is changed in place and keeps no sensitive value.
 */
export function sealFormData(components: Component[], data: Record<string, unknown>, cipher: FieldCipher): SealedValues {
  const sealed: SealedValues = {};
  const sensitive = new WeakSet<Component>();
  Utils.eachComponentData(
    components,
    data,
    (component, _data, row, path, _components, _index, parent) => {
      if (!isMarkedSensitive(component) && !(parent && sensitive.has(parent))) return false;
      sensitive.add(component);
      // A layout holds no value of its own: the fields inside it are sealed one by one.
      if (Utils.getModelType(component) === 'none') return false;
      if (isRecord(row) && Object.hasOwn(row, component.key)) {
        if (!isBlank(row[component.key])) sealed[storageKeyOf(path)] = cipher.encrypt(row[component.key]);
        delete row[component.key];
      }
      return true;
    },
    true,
  );
  return sealed;
}

function segmentsOrFail(storageKey: string): PathSegment[] {
  const segments = segmentsOf(storageKey);
  if (!segments) throw new Error(`sealed value under an unusable key "${storageKey}"`);
  return segments;
}

/** Puts the opened values back into the data, each at its data path. */
export function unsealFormData(data: Record<string, unknown>, sealed: SealedValues, cipher: FieldCipher): void {
  for (const [key, token] of Object.entries(sealed)) setAt(data, segmentsOrFail(key), cipher.decrypt(token));
}

/** The data paths of sealed values (`members[0].income`): what a response lists as `redacted`, what an audit entry names. */
export function sealedPaths(sealed: SealedValues | undefined): string[] {
  return Object.keys(sealed ?? {}).map(dataPathOf);
}

function arrayLengthsAlong(data: unknown, segments: PathSegment[]): number[] {
  const lengths: number[] = [];
  let node: unknown = data;
  for (const segment of segments) {
    if (typeof segment === 'number') lengths.push(Array.isArray(node) ? node.length : -1);
    node = node && typeof node === 'object' ? (node as Record<PathSegment, unknown>)[segment] : undefined;
  }
  return lengths;
}

/**
 * An update that leaves a sealed value out keeps it (a role that cannot see sensitive values cannot have
 * erased them), as long as its place is unambiguous: a value in a data grid row is kept only while the
 * grid has as many rows as before, otherwise it could land in another row. A removed row or container
 * takes its values with it.
 */
export function keepUnsentSealedValues(incoming: Record<string, unknown>, stored: Record<string, unknown>, sealed: SealedValues, cipher: FieldCipher): void {
  for (const [key, token] of Object.entries(sealed)) {
    const segments = segmentsOrFail(key);
    const parent = parentAt(incoming, segments);
    if (!parent || (parent as Record<PathSegment, unknown>)[segments.at(-1)!] !== undefined) continue;
    if (arrayLengthsAlong(incoming, segments).join() !== arrayLengthsAlong(stored, segments).join()) {
      const path = dataPathOf(key);
      throw problems.validation([{
        path,
        message: `${path} 是加密保存的敏感信息：增删其所在表格的行时，须由有权查看敏感信息的角色连同这些值一并提交`,
        messageEn: `${path} is a sealed sensitive value: rows of its grid can only be added or removed together with those values, by a role that may read them`,
        rule: 'sensitiveRows',
      }]);
    }
    setAt(incoming, segments, cipher.decrypt(token));
  }
}
