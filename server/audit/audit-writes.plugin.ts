import type { Document, Query, Schema } from 'mongoose';
import { recordAudit } from './audit.service';

interface AuditPluginOptions {
  /** Resource name used in audit entries, e.g. `submission`. */
  resourceType: string;
}

type WithCollege = { college?: import('mongoose').Types.ObjectId | null };

function updateFields(update: unknown): string[] {
  if (!update || typeof update !== 'object') return [];
  const fields = new Set<string>();
  for (const [key, value] of Object.entries(update as Record<string, unknown>)) {
    if (key.startsWith('$') && value && typeof value === 'object') Object.keys(value).forEach((f) => fields.add(f));
    else if (!key.startsWith('$')) fields.add(key);
  }
  return [...fields];
}

/** The record an update's filter names: its id as stored (a string or ObjectId), or the condition as JSON (`{"$in":[…]}`). */
function filterId(id: unknown): string {
  if (id === undefined || id === null) return '';
  return typeof id === 'string' || (typeof id === 'object' && '_bsontype' in id) ? String(id) : JSON.stringify(id);
}

/**
 * Audits every write made through a model's documents and queries. Applied to each domain schema
 * (a test checks that none is missing), so no handler has to remember to audit.
 */
export function auditWrites(schema: Schema, options: AuditPluginOptions): void {
  const { resourceType } = options;

  schema.pre('save', function (this: Document) {
    this.$locals.auditAction = this.isNew ? 'create' : 'update';
    this.$locals.auditFields = this.isNew ? [] : this.modifiedPaths({ includeChildren: false });
  });

  schema.post('save', async function (this: Document & WithCollege) {
    await recordAudit({
      action: this.$locals.auditAction as 'create' | 'update',
      resourceType,
      resourceId: String(this._id),
      fields: this.$locals.auditFields as string[],
      college: this.college,
    });
  });

  schema.post('insertMany', async function (result: unknown) {
    const docs = result as Array<Document & WithCollege>;
    if (!Array.isArray(docs) || docs.length === 0) return;
    await recordAudit({
      action: 'create',
      resourceType,
      resourceId: docs.length === 1 ? String(docs[0]!._id) : undefined,
      count: docs.length,
    });
  });

  schema.post(['findOneAndUpdate', 'updateOne', 'updateMany', 'replaceOne'], async function (this: Query<unknown, unknown>, result: unknown) {
    const doc = result as (Document & WithCollege) | null;
    const id = doc && typeof doc === 'object' && '_id' in doc ? String(doc._id) : filterId(this.getFilter()._id);
    await recordAudit({ action: 'update', resourceType, resourceId: id, fields: updateFields(this.getUpdate()), college: doc?.college });
  });

  // One entry per kind of write the bulk made, so that deletions read as deletions.
  schema.post('bulkWrite', async function (result: unknown) {
    const r = result as { insertedCount?: number; upsertedCount?: number; modifiedCount?: number; deletedCount?: number } | undefined;
    const kinds = [
      ['create', (r?.insertedCount ?? 0) + (r?.upsertedCount ?? 0)],
      ['update', r?.modifiedCount ?? 0],
      ['delete', r?.deletedCount ?? 0],
    ] as const;
    for (const [action, count] of kinds) if (count > 0) await recordAudit({ action, resourceType, count, fields: ['bulkWrite'] });
  });

  schema.post(['deleteOne', 'deleteMany', 'findOneAndDelete'], { document: false, query: true }, async function (this: Query<unknown, unknown>) {
    const id = this.getFilter()._id;
    await recordAudit({ action: 'delete', resourceType, resourceId: id === undefined ? undefined : String(id) });
  });
}
