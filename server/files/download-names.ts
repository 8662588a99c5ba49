import type { StoredFile } from './stored-file.model';

/**
 * The name a linked file is downloaded under. The files module does not know what a submission holds;
 * the module that owns the submission registers a namer (the visit report names evidence after the
 * student), and a file no namer claims keeps the name it was uploaded with.
 */
export type DownloadNamer = (file: StoredFile & { _id: unknown }) => Promise<string | undefined>;

const namers: DownloadNamer[] = [];

export function registerDownloadNamer(namer: DownloadNamer): void {
  if (!namers.includes(namer)) namers.push(namer);
}

export async function downloadNameFor(file: StoredFile & { _id: unknown }): Promise<string> {
  if (file.submission) {
    for (const namer of namers) {
      const name = await namer(file);
      if (name) return name;
    }
  }
  return file.originalName;
}
