import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '../db/duplicate-key';
import { LaneLeaseModel } from './lane-lease.model';
import type { Delivery } from './delivery-outcomes';
import { WebhookDeliveryModel } from './webhook-delivery.model';

export type Outcome = 'done' | 'retry';

/** Deliveries of one subscriber sent one after another; `finish` records their outcomes and lets go of the connection. */
export interface LaneBatch {
  send(delivery: Delivery): Promise<Outcome>;
  finish(): Promise<void>;
}

/** Deliveries a lane takes from the queue at once: they share one subscriber check, one connection and one write of their outcomes. */
const BATCH = 500;

/**
 * Sends due deliveries in one lane per subscriber: a subscriber's events go one after another, in the
 * order they happened (a delivery waiting for its retry holds back the later ones of that subscriber
 * only), while up to `maxLanes` subscribers are served at once — a slow or dead receiver delays nobody
 * else. A lane is leased in the database, so several service processes never serve one subscriber.
 */
export class DeliveryLanes {
  private readonly lanes = new Map<string, Promise<void>>();
  private scanning?: Promise<void>;
  private scanAgain = false;
  private readonly holder = randomUUID();
  private readonly leasedUntil = new Map<string, number>();

  constructor(
    private readonly open: (subscription: string) => Promise<LaneBatch>,
    private readonly maxLanes: number,
    private readonly leaseMs: number,
  ) {}

  /** Looks for due deliveries now (or right after the look already under way). */
  kick(): void {
    if (this.scanning) {
      this.scanAgain = true;
      return;
    }
    this.scanning = this.scan()
      .catch(() => undefined)
      .finally(() => {
        this.scanning = undefined;
        if (this.scanAgain) {
          this.scanAgain = false;
          this.kick();
        }
      });
  }

  async idle(): Promise<void> {
    while (this.scanning || this.lanes.size > 0) await Promise.all([this.scanning, ...this.lanes.values()]);
  }

  private async scan(): Promise<void> {
    const due = await WebhookDeliveryModel.find({ status: 'pending', nextAttemptAt: { $lte: new Date() } }).sort({ nextAttemptAt: 1 }).limit(500).select('subscription').lean();
    const waiting = [...new Set(due.map((d) => String(d.subscription)))].filter((s) => !this.lanes.has(s));
    for (const subscription of waiting) {
      if (this.lanes.size >= this.maxLanes) {
        this.scanAgain = true; // a lane that ends kicks again
        return;
      }
      if (!(await this.lease(subscription))) continue;
      const lane = this.serve(subscription).finally(async () => {
        // The lease goes before the lane does: a scan meanwhile must not start a lane whose lease is being deleted.
        await LaneLeaseModel.deleteOne({ _id: subscription, holder: this.holder }).catch(() => undefined);
        this.leasedUntil.delete(subscription);
        this.lanes.delete(subscription);
        this.kick();
      });
      this.lanes.set(subscription, lane.catch(() => undefined));
    }
  }

  private async serve(subscription: string): Promise<void> {
    for (;;) {
      const queue = await WebhookDeliveryModel.find({ subscription, status: 'pending' }).sort({ createdAt: 1, _id: 1 }).limit(BATCH).lean<Delivery[]>();
      if (queue.length === 0) return;
      // The oldest waits for its retry; the rest wait behind it.
      if (queue[0]!.nextAttemptAt.getTime() > Date.now()) return;
      const batch = await this.open(subscription);
      let stop = false;
      try {
        for (const delivery of queue) {
          if (delivery.nextAttemptAt.getTime() > Date.now() || !(await this.lease(subscription))) {
            stop = true;
            break;
          }
          if ((await batch.send(delivery)) === 'retry') {
            stop = true;
            break;
          }
        }
      } finally {
        // Outcomes are recorded before the queue is read again, so nothing sent is sent twice by this lane;
        // the lease is renewed first, so that another process does not take the lane while they are written.
        await this.lease(subscription).catch(() => false);
        await batch.finish();
      }
      if (stop) return;
    }
  }

  /** Takes or renews the lane of a subscriber; false when another process holds it. */
  private async lease(subscription: string): Promise<boolean> {
    // A lease with more than half its time left is not renewed: one write per half lease, not per delivery.
    const held = this.leasedUntil.get(subscription);
    if (held !== undefined && held - Date.now() > this.leaseMs / 2) return true;
    const taken = await this.takeLease(subscription);
    if (taken) this.leasedUntil.set(subscription, taken);
    else this.leasedUntil.delete(subscription);
    return taken !== undefined;
  }

  /** The lease's end when this process now holds it. */
  private async takeLease(subscription: string): Promise<number | undefined> {
    const until = new Date(Date.now() + this.leaseMs);
    try {
      await LaneLeaseModel.create({ _id: subscription, holder: this.holder, until });
      return until.getTime();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const taken = await LaneLeaseModel.findOneAndUpdate(
      { _id: subscription, $or: [{ holder: this.holder }, { until: { $lt: new Date() } }] },
      { $set: { holder: this.holder, until } },
      { returnDocument: 'after' },
    ).lean();
    return taken?.holder === this.holder ? until.getTime() : undefined;
  }
}
