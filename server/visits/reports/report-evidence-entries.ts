import { StoredFileModel } from '../../files/stored-file.model';

/**
 * A report's evidence (stored-file ids) as the entries the evidence rule names in its messages: with the
 * name each file was uploaded under, so that a refusal says which photo (`第 2 项（IMG_0002.jpg）`).
 */
export async function evidenceEntries(ids: readonly string[]): Promise<Array<{ id: string; originalName?: string }>> {
  const valid = ids.filter((id) => /^[0-9a-f]{24}$/.test(id));
  const files = valid.length ? await StoredFileModel.find({ _id: { $in: valid } }).select('originalName').lean() : [];
  const names = new Map(files.map((f) => [String(f._id), f.originalName]));
  return ids.map((id) => ({ id, originalName: names.get(id) }));
}
