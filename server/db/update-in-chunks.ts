/**
 * FerretDB 1.24 stops answering (every later command on the database hangs) when one update command
 * carries about 100 updates or more: each keeps a read of its own open until the command ends. Bulk
 * updates therefore go in commands of this many, on every engine.
 */
export const UPDATES_PER_COMMAND = 50;

export async function bulkUpdateInChunks<Op>(model: { bulkWrite(operations: Op[]): Promise<{ modifiedCount: number }> }, operations: Op[]): Promise<number> {
  let modified = 0;
  for (let i = 0; i < operations.length; i += UPDATES_PER_COMMAND) {
    const result = await model.bulkWrite(operations.slice(i, i + UPDATES_PER_COMMAND));
    modified += result.modifiedCount;
  }
  return modified;
}
