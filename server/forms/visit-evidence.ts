import type { Types } from 'mongoose';
import { evidenceFileName } from '../files/evidence-file-name';
import { entryLabel, fileIdOf } from '../files/file-reference';
import { inspectUploads } from '../files/files.service';
import type { DownloadNamer } from '../files/download-names';
import type { Actor } from '../identity/actor';
import { SubmissionModel } from './submission.model';
import type { InspectedEntry } from './visit-photo-rule';

export const VISIT_REPORT_PATH = 'visitReport';
/** The visit report's evidence fields: photos (counted) and optional video/audio. */
export const EVIDENCE_FIELDS = ['photos', 'media'] as const;

function entriesOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value ? [value] : [];
}

/** Looks up the uploads every entry of a file field refers to. */
export async function inspectEntries(actor: Actor, value: unknown, submissionId?: Types.ObjectId): Promise<InspectedEntry[]> {
  const entries = entriesOf(value);
  const ids = entries.map(fileIdOf);
  const facts = await inspectUploads(actor, ids.filter((id): id is string => !!id), submissionId);
  return entries.map((entry, index) => {
    const id = ids[index];
    return { label: entryLabel(entry, index), ours: !!id, file: id ? facts.get(id) : undefined };
  });
}

function studentOf(data: Record<string, unknown>) {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return { studentNo: text(data.studentNo), studentName: text(data.studentName) };
}

/**
 * D7: the evidence entries of a valid report carry the student's name (`name`), with the extension of
 * the sniffed type, so that the record, the download and the materials package agree.
 */
export async function nameEvidenceAfterStudent(actor: Actor, data: Record<string, unknown>, submissionId?: Types.ObjectId): Promise<void> {
  for (const key of EVIDENCE_FIELDS) {
    const entries = entriesOf(data[key]);
    const inspected = await inspectEntries(actor, entries, submissionId);
    entries.forEach((entry, index) => {
      const file = inspected[index]?.file;
      if (file && entry && typeof entry === 'object') {
        (entry as { name?: string }).name = evidenceFileName({ ...studentOf(data), index: index + 1, contentType: file.contentType });
      }
    });
  }
}

/** Downloads of a visit report's evidence are named after the student and the file's position. */
export const visitEvidenceDownloadName: DownloadNamer = async (file) => {
  const submission = await SubmissionModel.findById(file.submission).select('formPath data');
  if (!submission || submission.formPath !== VISIT_REPORT_PATH) return undefined;
  const data = (submission.data ?? {}) as Record<string, unknown>;
  for (const key of EVIDENCE_FIELDS) {
    const index = entriesOf(data[key]).findIndex((entry) => fileIdOf(entry) === String(file._id));
    if (index >= 0) return evidenceFileName({ ...studentOf(data), index: index + 1, contentType: file.contentType });
  }
  return undefined;
};
