import mongoose, { type Model } from 'mongoose';
import { FieldCipher } from './field-cipher';
import { SEALED_STORES, type SealedStore } from './sensitive-data';

/**
 * How a rewrite makes sure it replaces only what it read. `filter`: the update matches the old
 * ciphertexts (atomic on MongoDB). `reread`: the document is read again by `_id` and compared just
 * before an `_id`-only update — on FerretDB, whose filters other than `{_id}` decode the whole
 * collection, a per-document filter would make the run quadratic.
 */
export type WriteGuard = 'filter' | 'reread';

export interface StoreProgress {
  store: SealedStore['model'];
  label: string;
  /** Documents in the collection when the run reached it (an estimate). */
  total: number;
  scanned: number;
  /** Documents rewritten with their values under the current key. */
  rewritten: number;
  /** Values re-encrypted (a document can hold several). */
  reencrypted: number;
  /** Values already under the current key. */
  current: number;
  /** Values changed by someone else while being rotated, three times over: the next run takes them. */
  changedMeanwhile: number;
  /** Values still under an older key after this run, by key id (dry run, changed meanwhile, unreadable). */
  pendingByKey: Record<string, number>;
}

export interface RotationReport {
  currentKeyId: string;
  stores: StoreProgress[];
  dryRun: boolean;
  /** The run stopped (document limit or signal) before it had seen every document. */
  stoppedEarly: boolean;
  /** Old key ids some value still needs, with how many values. */
  stillNeeded: Record<string, number>;
  /** Key ids found in ciphertexts that no configured key matches (those values cannot be read now). */
  missingKeys: string[];
  /** Configured previous keys no value needs any more (only known after a complete run). */
  removable: string[];
}

export interface RotationOptions {
  /** Count only: write nothing. */
  dryRun?: boolean;
  /** Stop after rewriting this many documents; a later run continues where this one stopped. */
  maxDocuments?: number;
  /** Stops the run after the document in hand (Ctrl-C). */
  signal?: AbortSignal;
  /** Chosen from the database when not given: `reread` on FerretDB, `filter` elsewhere. */
  guard?: WriteGuard;
  /** Called every `progressEvery` documents and when a collection is finished; the run waits for it. */
  onProgress?: (progress: StoreProgress, finished: boolean) => void | Promise<void>;
  progressEvery?: number;
}

const ATTEMPTS = 3;
/** Where a stored value that is no field ciphertext at all is counted (reported, never touched). */
export const NOT_A_CIPHERTEXT = 'not-a-ciphertext';

interface Located {
  /** Dotted MongoDB path of the ciphertext, e.g. `sealed.medicalHistory`. */
  field: string;
  token: string;
}

function valueAt(doc: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), doc);
}

function ciphertextsOf(doc: Record<string, unknown>, store: SealedStore): Located[] {
  const value = valueAt(doc, store.path);
  if (store.shape === 'value') return typeof value === 'string' ? [{ field: store.path, token: value }] : [];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([key, token]) => ({ field: `${store.path}.${key}`, token }));
}

export async function detectWriteGuard(): Promise<WriteGuard> {
  const info = await mongoose.connection.db?.admin().command({ buildInfo: 1 });
  return info && 'ferretdbVersion' in info ? 'reread' : 'filter';
}

function modelOf(store: SealedStore): Model<Record<string, unknown>> {
  if (!mongoose.modelNames().includes(store.model)) throw new Error(`model ${store.model} is not loaded: load the service's models before rotating keys`);
  return mongoose.model<Record<string, unknown>>(store.model);
}

/** Rewrites one document's stale ciphertexts, guarded against a concurrent change; `left` is what kept changing. */
async function rewrite(model: Model<Record<string, unknown>>, store: SealedStore, id: unknown, stale: Located[], cipher: FieldCipher, guard: WriteGuard): Promise<{ done: Located[]; left: Located[] }> {
  let todo = stale;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const set = Object.fromEntries(todo.map((c) => [c.field, cipher.reencrypt(c.token)]));
    const expected = Object.fromEntries(todo.map((c) => [c.field, c.token]));
    let written = false;
    if (guard === 'filter') {
      const result = await model.updateOne({ _id: id, ...expected }, { $set: set }, { timestamps: false });
      written = result.matchedCount === 1;
    } else {
      const fresh = await model.findById(id).select(store.path).lean();
      if (fresh && todo.every((c) => valueAt(fresh, c.field) === c.token)) {
        await model.updateOne({ _id: id }, { $set: set }, { timestamps: false });
        written = true;
      }
    }
    if (written) return { done: todo, left: [] };
    const fresh = await model.findById(id).select(store.path).lean();
    todo = fresh ? ciphertextsOf(fresh, store).filter((c) => cipher.needsRotation(c.token) && cipher.canDecrypt(c.token)) : [];
    if (todo.length === 0) return { done: [], left: [] };
  }
  return { done: [], left: todo };
}

/**
 * Re-encrypts every stored ciphertext (see SEALED_STORES) with the current key, reading old ones with
 * the previous keys. Documents whose ciphertexts all name the current key are skipped, so a stopped run
 * is simply started again. Every new ciphertext is checked to give back the value before it is written;
 * the revision and `updatedAt` of a record stay as they are (no content changes).
 */
export async function rotateKeys(cipher: FieldCipher, options: RotationOptions = {}): Promise<RotationReport> {
  const guard = options.guard ?? (await detectWriteGuard());
  const every = options.progressEvery ?? 500;
  const report: RotationReport = { currentKeyId: cipher.currentKeyId, stores: [], dryRun: !!options.dryRun, stoppedEarly: false, stillNeeded: {}, missingKeys: [], removable: [] };
  let budget = options.maxDocuments ?? Infinity;

  for (const store of SEALED_STORES) {
    if (report.stoppedEarly) break;
    const model = modelOf(store);
    const progress: StoreProgress = { store: store.model, label: store.label, total: await model.estimatedDocumentCount(), scanned: 0, rewritten: 0, reencrypted: 0, current: 0, changedMeanwhile: 0, pendingByKey: {} };
    report.stores.push(progress);
    const pending = (values: Located[]): void => {
      for (const { token } of values) {
        const id = FieldCipher.keyIdOf(token) ?? NOT_A_CIPHERTEXT;
        progress.pendingByKey[id] = (progress.pendingByKey[id] ?? 0) + 1;
      }
    };
    const cursor = model.find({}).select(store.path).lean().cursor({ batchSize: 200 });
    try {
      for await (const doc of cursor) {
        const found = ciphertextsOf(doc, store);
        const stale = found.filter((c) => cipher.needsRotation(c.token));
        const readable = stale.filter((c) => cipher.canDecrypt(c.token));
        if (options.signal?.aborted || (readable.length > 0 && !options.dryRun && budget <= 0)) {
          report.stoppedEarly = true;
          break;
        }
        progress.scanned += 1;
        progress.current += found.length - stale.length;
        pending(stale.filter((c) => !cipher.canDecrypt(c.token)));
        if (readable.length > 0) {
          if (options.dryRun) pending(readable);
          else {
            budget -= 1;
            const { done, left } = await rewrite(model, store, doc._id, readable, cipher, guard);
            if (done.length > 0) progress.rewritten += 1;
            progress.reencrypted += done.length;
            progress.changedMeanwhile += left.length;
            pending(left);
          }
        }
        if (progress.scanned % every === 0) await options.onProgress?.(progress, false);
      }
    } finally {
      await cursor.close();
    }
    await options.onProgress?.(progress, true);
  }

  for (const progress of report.stores) {
    for (const [id, count] of Object.entries(progress.pendingByKey)) report.stillNeeded[id] = (report.stillNeeded[id] ?? 0) + count;
  }
  const configured = new Set([cipher.currentKeyId, ...cipher.previousKeyIds]);
  report.missingKeys = Object.keys(report.stillNeeded).filter((id) => !configured.has(id));
  if (!report.stoppedEarly) report.removable = cipher.previousKeyIds.filter((id) => !report.stillNeeded[id]);
  return report;
}
