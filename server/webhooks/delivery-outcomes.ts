import type { Types } from 'mongoose';
import { insertAllowingDuplicates } from '../db/insert-allowing-duplicates';
import { bulkUpdateInChunks } from '../db/update-in-chunks';
import { WebhookDeliveryLogModel, WebhookDeliveryModel, type FinishedState, type WebhookDelivery } from './webhook-delivery.model';

export type Delivery = WebhookDelivery & { _id: Types.ObjectId };

/** What became of one attempt: finished (it moves to the log) or to be tried again (it stays queued). */
export type DeliveryOutcome =
  | { delivery: Delivery; finished: FinishedState; set: Partial<WebhookDelivery>; clearError?: boolean }
  | { delivery: Delivery; retry: Partial<WebhookDelivery> };

/** Documents moved per command when old finished deliveries are taken out of the queue. */
const MOVE_BATCH = 500;

/**
 * Writes a batch's outcomes. Finished deliveries go into the log under their own `_id` first and only
 * then leave the queue: a process that dies in between leaves them queued, so they are sent again (the
 * receiver sees the same `X-HSB-Delivery` id twice) and never lost; the log keeps the first record.
 */
export async function recordOutcomes(outcomes: DeliveryOutcome[]): Promise<void> {
  const now = new Date();
  const finished: Array<Record<string, unknown>> = [];
  for (const outcome of outcomes) {
    if ('retry' in outcome) {
      await WebhookDeliveryModel.updateOne({ _id: outcome.delivery._id }, { $set: withoutUndefined({ ...outcome.retry, updatedAt: now }) });
      continue;
    }
    const record: Record<string, unknown> = { ...outcome.delivery, ...withoutUndefined(outcome.set), status: outcome.finished, updatedAt: now };
    if (outcome.clearError) delete record.lastError;
    finished.push(record);
  }
  await moveToLog(finished);
}

/**
 * Deliveries finished before the queue and the log were apart are still in the queue: moved to the log
 * at start, a batch at a time, so the queue holds only what is still to be sent.
 */
export async function moveFinishedOutOfQueue(stopping: () => boolean = () => false): Promise<number> {
  let moved = 0;
  while (!stopping()) {
    const finished = await WebhookDeliveryModel.find({ status: { $ne: 'pending' } }).limit(MOVE_BATCH).lean<Array<Record<string, unknown>>>();
    if (finished.length === 0) return moved;
    await moveToLog(finished);
    moved += finished.length;
  }
  return moved;
}

async function moveToLog(records: Array<Record<string, unknown>>): Promise<void> {
  if (records.length === 0) return;
  await insertAllowingDuplicates(WebhookDeliveryLogModel as never, records, 'webhookDeliveryLog', { lean: true });
  // Deleted one by one by `_id` (a point write on every engine): an `$in` is a pass over the whole queue
  // on the embedded engine, which is long while deliveries finished before an upgrade are still in it.
  await bulkUpdateInChunks(WebhookDeliveryModel, records.map((r) => ({ deleteOne: { filter: { _id: r._id } } })));
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
