import { createHash } from 'node:crypto';
import { Types, type HydratedDocument } from 'mongoose';
import { problems } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertMayRead } from '../identity/policy';
import { ACCEPTED_TYPES, sniffContentType } from './content-type';
import type { FileStore } from './file-store';
import { StoredFileModel, type StoredFile } from './stored-file.model';

export interface Upload {
  originalName: string;
  content: Buffer;
}

export async function storeUpload(store: FileStore, actor: Actor, upload: Upload) {
  const contentType = sniffContentType(upload.content.subarray(0, 16));
  if (!contentType) {
    throw problems.unsupportedMedia(
      `Only these file types are accepted: ${ACCEPTED_TYPES.join(', ')}`,
      `只接受以下文件类型：${ACCEPTED_TYPES.join('、')}（照片、视频、音频、PDF）`,
    );
  }
  const location = await store.save(upload.content, contentType);
  return StoredFileModel.create({
    originalName: upload.originalName.slice(0, 200),
    contentType,
    size: upload.content.length,
    sha256: createHash('sha256').update(upload.content).digest('hex'),
    storage: store.storage,
    location,
    owner: actor.userId,
    college: actor.college,
  });
}

export async function openFileFor(store: FileStore, actor: Actor, id: string) {
  if (!Types.ObjectId.isValid(id)) throw problems.notFound('File', '文件');
  const found: HydratedDocument<StoredFile> | null = await StoredFileModel.findById(id);
  const file = assertMayRead(actor, 'file', found, 'File', '文件');
  return { file, stream: store.open(file) };
}

type SubmissionRef = { _id: Types.ObjectId; owner: Types.ObjectId; college?: Types.ObjectId | null };

/**
 * Whether a submission may reference the file: the actor's own upload not yet linked to any report, or
 * one already linked to this very submission. A file is evidence of one report only.
 */
function mayReference(actor: Actor, file: StoredFile, submissionId: Types.ObjectId | undefined): boolean {
  return file.submission ? !!submissionId && file.submission.equals(submissionId) : file.owner.equals(actor.userId);
}

/** What a rule needs to know about an upload a submission refers to (never its bytes). */
export interface UploadFacts {
  id: string;
  contentType: string;
  /** SHA-256 of the content; absent for uploads stored before hashes were kept. */
  sha256?: string;
  /** Whether this submission may reference it (see mayReference). */
  usable: boolean;
}

export type StoredFileRecord = StoredFile & { _id: Types.ObjectId };

/**
 * The stored files of these ids that exist, each read by `_id`: the one filter every engine serves from
 * its index, where a `$in` over the ids makes the embedded engine scan every upload ever made.
 */
export async function findStoredFiles(fileIds: readonly string[]): Promise<Map<string, StoredFileRecord>> {
  const ids = [...new Set(fileIds)].filter((id) => Types.ObjectId.isValid(id));
  const files = await Promise.all(ids.map((id) => StoredFileModel.findById(id).lean<StoredFileRecord>()));
  return new Map(files.filter((f): f is StoredFileRecord => !!f).map((f) => [String(f._id), f]));
}

/** The facts of the uploads with these ids that exist (read here unless `found` holds them); unknown ids are simply absent from the map. */
export async function inspectUploads(actor: Actor, fileIds: string[], submissionId?: Types.ObjectId, found?: Map<string, StoredFileRecord>): Promise<Map<string, UploadFacts>> {
  const files = found ?? (await findStoredFiles(fileIds));
  return new Map(
    fileIds
      .map((id) => files.get(id))
      .filter((file): file is StoredFileRecord => !!file)
      .map((file) => [String(file._id), { id: String(file._id), contentType: file.contentType, sha256: file.sha256 ?? undefined, usable: mayReference(actor, file, submissionId) }]),
  );
}

/**
 * Links uploads referenced by a submission to it: from then on the file is readable by whoever may read
 * the submission. Only the actor's own, not yet linked uploads (or ones already linked to this
 * submission) may be referenced, so nobody can pull someone else's file into their record.
 */
export async function attachFiles(actor: Actor, fileIds: string[], submission: SubmissionRef) {
  const ids = [...new Set(fileIds)];
  if (ids.length === 0) return;
  const files = [...(await findStoredFiles(ids)).values()];
  const usable = files.filter((f) => mayReference(actor, f, submission._id));
  if (usable.length !== ids.length) {
    throw problems.validation([
      { path: 'files', message: '引用了不存在或无权使用的上传文件', messageEn: 'References an upload that does not exist or is not yours', rule: 'fileOwner' },
    ]);
  }
  const claimedIds: Types.ObjectId[] = [];
  for (const file of usable) {
    if (file.submission) continue;
    // The claim is conditional, so two reports sent at once cannot both take the same upload as evidence.
    const claimed = await StoredFileModel.updateOne(
      { _id: file._id, owner: actor.userId, submission: null },
      submission.college
        ? { $set: { submission: submission._id, owner: submission.owner, college: submission.college } }
        : { $set: { submission: submission._id, owner: submission.owner }, $unset: { college: 1 } },
    );
    if (claimed.matchedCount !== 1) {
      // A parallel save of the same record took it: it is this record's, as asked.
      const now = await StoredFileModel.findById(file._id).select('submission').lean();
      if (now?.submission && String(now.submission) === String(submission._id)) continue;
      await releaseFiles(actor, claimedIds, submission._id);
      throw problems.conflict('An upload was just used as evidence of another report', '有上传文件刚刚被另一份报告使用，请重新上传');
    }
    claimedIds.push(file._id);
  }
}

/** Gives uploads claimed by a report that is not going to be saved back to their uploader. */
async function releaseFiles(actor: Actor, ids: Types.ObjectId[], submissionId: Types.ObjectId): Promise<void> {
  if (ids.length === 0) return;
  await StoredFileModel.updateMany(
    { _id: { $in: ids }, submission: submissionId },
    actor.college ? { $set: { owner: actor.userId, college: actor.college }, $unset: { submission: 1 } } : { $set: { owner: actor.userId }, $unset: { submission: 1, college: 1 } },
  );
}
