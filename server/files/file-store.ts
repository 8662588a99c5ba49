import { createReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
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

/** Where one stored file's bytes are, as its record says. */
export interface StoredLocation {
  storage: string;
  location: string;
}

/**
 * Where file bytes live: GridFS in the service's database, or a folder on disk. New uploads go to the
 * configured one; a file is always read from where its record says it was put, so changing the setting
 * leaves earlier uploads readable.
 */
export interface FileStore {
  storage: UploadStorage;
  save(content: Buffer, contentType: string): Promise<string>;
  open(file: StoredLocation): Readable;
}

/**
 * The bytes on disk, and their name in the folder, before the record that names them is written: a crash
 * never leaves a record without its file. A write that fails leaves nothing behind.
 */
async function writeDurably(folder: string, name: string, content: Buffer): Promise<void> {
  const file = path.join(folder, name);
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(file, { force: true });
    throw error;
  }
  await handle.close();
  try {
    const directory = await open(folder, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
}

export function createFileStore(storage: UploadStorage, uploadDir: string): FileStore {
  const saveToFolder = async (content: Buffer) => {
    await mkdir(uploadDir, { recursive: true });
    const name = randomUUID();
    await writeDurably(uploadDir, name, content);
    return name;
  };
  const saveToGridFs = (content: Buffer, contentType: string) =>
    new Promise<string>((resolve, reject) => {
      const upload = bucket().openUploadStream(randomUUID(), { metadata: { contentType } });
      upload.once('error', reject);
      upload.once('finish', () => resolve(String(upload.id)));
      upload.end(content);
    });
  return {
    storage,
    save: storage === 'folder' ? saveToFolder : saveToGridFs,
    open(file) {
      if (file.storage === 'folder') return createReadStream(path.join(uploadDir, path.basename(file.location)));
      if (file.storage === 'gridfs') return bucket().openDownloadStream(new mongoose.Types.ObjectId(file.location));
      throw new Error(`stored file at "${file.location}" names no known storage ("${String(file.storage)}"): select its storage with its location`);
    },
  };
}
