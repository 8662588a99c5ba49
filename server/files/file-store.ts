import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import mongoose from 'mongoose';
import type { UploadStorage } from '../config/config';

const BUCKET = 'uploads';

function bucket() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET });
}

/** Where file bytes live: GridFS in the service's database, or a folder on disk. */
export interface FileStore {
  storage: UploadStorage;
  save(content: Buffer, contentType: string): Promise<string>;
  open(location: string): Readable;
}

export function createFileStore(storage: UploadStorage, uploadDir: string): FileStore {
  if (storage === 'folder') {
    return {
      storage,
      async save(content) {
        await mkdir(uploadDir, { recursive: true });
        const name = randomUUID();
        await writeFile(path.join(uploadDir, name), content, { mode: 0o600 });
        return name;
      },
      open: (location) => createReadStream(path.join(uploadDir, path.basename(location))),
    };
  }
  return {
    storage,
    save: (content, contentType) =>
      new Promise((resolve, reject) => {
        const upload = bucket().openUploadStream(randomUUID(), { metadata: { contentType } });
        upload.once('error', reject);
        upload.once('finish', () => resolve(String(upload.id)));
        upload.end(content);
      }),
    open: (location) => bucket().openDownloadStream(new mongoose.Types.ObjectId(location)),
  };
}
