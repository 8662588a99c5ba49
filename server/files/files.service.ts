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
  return { file, stream: store.open(file.location) };
}

/** The id inside a file URL issued by this service (`…/api/files/<id>`). */
export function fileIdFromUrl(url: unknown): string | undefined {
  return typeof url === 'string' ? /\/api\/files\/([0-9a-f]{24})(?:[/?#]|$)/.exec(url)?.[1] : undefined;
}

/**
 * Links uploads referenced by a submission to it: from then on the file is readable by whoever may read
 * the submission. Only the actor's own, not yet linked uploads (or ones already linked to this
 * submission) may be referenced, so nobody can pull someone else's file into their record.
 */
export async function attachFiles(actor: Actor, fileIds: string[], submission: { _id: Types.ObjectId; owner: Types.ObjectId; college?: Types.ObjectId | null }) {
  const ids = [...new Set(fileIds)];
  if (ids.length === 0) return;
  const files = await StoredFileModel.find({ _id: { $in: ids } });
  const usable = files.filter(
    (f) => (f.submission ? f.submission.equals(submission._id) : f.owner.equals(actor.userId)),
  );
  if (usable.length !== ids.length) {
    throw problems.validation([
      { path: 'files', message: '引用了不存在或无权使用的上传文件', messageEn: 'References an upload that does not exist or is not yours', rule: 'fileOwner' },
    ]);
  }
  for (const file of usable) {
    if (file.submission) continue;
    file.submission = submission._id;
    file.owner = submission.owner;
    file.college = submission.college ?? undefined;
    await file.save();
  }
}
