import type { Readable } from 'node:stream';
import type { FileStore } from './file-store';
import { findStoredFiles } from './files.service';

/** A stored file named by id, with its bytes when they were read. */
export interface ReadFile {
  id: string;
  contentType: string;
  size: number;
  storage: string;
  location: string;
  /** The content, for files up to the size asked for; otherwise open it from the store when needed. */
  bytes?: Buffer;
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The stored files of these ids in the order given (ids of no stored file left out), each read by `_id`;
 * the content of those of at most `readUpTo` bytes is read into memory (e.g. photos to draw in a PDF).
 */
export async function readStoredFiles(store: FileStore, ids: string[], readUpTo = 0): Promise<ReadFile[]> {
  const byId = await findStoredFiles(ids);
  const found: ReadFile[] = [];
  for (const id of ids) {
    const file = byId.get(id);
    if (!file) continue;
    const read: ReadFile = { id, contentType: file.contentType, size: file.size, storage: file.storage, location: file.location };
    if (file.size <= readUpTo) read.bytes = await bytesOf(store.open(file));
    found.push(read);
  }
  return found;
}
