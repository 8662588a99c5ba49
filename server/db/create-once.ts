/**
 * Creates a document under a given `_id`, or finds the one already created under it: the `_id` (the one
 * key every engine serves from its index) makes a repeated request a no-op instead of a duplicate.
 */
export async function createOnce<D extends { save(): Promise<unknown> }>(doc: D, findExisting: () => Promise<D | null>): Promise<{ doc: D; created: boolean }> {
  try {
    await doc.save();
    return { doc, created: true };
  } catch (error) {
    if ((error as { code?: unknown }).code !== 11000) throw error;
    const existing = await findExisting();
    if (!existing) throw error;
    return { doc: existing, created: false };
  }
}
