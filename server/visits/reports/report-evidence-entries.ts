import type { StoredFileRecord } from '../../files/files.service';

/**
 * A report's evidence (stored-file ids) as the entries the evidence rule names in its messages: with the
 * name each file was uploaded under, so that a refusal says which photo (`第 2 项（IMG_0002.jpg）`).
 */
export function evidenceEntries(ids: readonly string[], files: Map<string, StoredFileRecord>): Array<{ id: string; originalName?: string }> {
  return ids.map((id) => ({ id, originalName: files.get(id)?.originalName }));
}
