import type { Types } from 'mongoose';
import { evidenceFileName } from '../files/evidence-file-name';
import { entryLabel, fileIdOf } from '../files/file-reference';
import { inspectUploads, type StoredFileRecord } from '../files/files.service';
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
export async function inspectEntries(actor: Actor, value: unknown, submissionId?: Types.ObjectId, found?: Map<string, StoredFileRecord>): Promise<InspectedEntry[]> {
  const entries = entriesOf(value);
  const ids = entries.map(fileIdOf);
  const facts = await inspectUploads(actor, ids.filter((id): id is string => !!id), submissionId, found);
  return entries.map((entry, index) => {
    const id = ids[index];
    return { label: entryLabel(entry, index), ours: !!id, file: id ? facts.get(id) : undefined };
  });
}

function studentOf(data: Record<string, unknown>) {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return { studentNo: text(data.studentNo), studentName: text(data.studentName) };
}

/** Downloads of the evidence of a visit report made with the form's first version (a submission holding the student). */
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
