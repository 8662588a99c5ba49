import { Types } from 'mongoose';
import type { DomainEvent } from '../events/event-bus';
import { EVENT_TYPES } from '../events/event-bus';
import { problems } from '../http/problem';
import type { Actor } from '../identity/actor';
import type { FieldCipher } from '../security/field-cipher';
import { DestinationPolicy } from './destination-policy';
import { PinnedDestination, RefusedDestination } from './outbound-post';
import { signatureHeader, SIGNATURE_HEADER } from './signature';
import { DeliveryLanes, type LaneBatch, type Outcome } from './delivery-lanes';
import { moveFinishedOutOfQueue, recordOutcomes, type Delivery, type DeliveryOutcome } from './delivery-outcomes';
import { receiveRefusal, refusalFor, subscriberActor } from './subscriber-access';
import { WebhookDeliveryLogModel, WebhookDeliveryModel } from './webhook-delivery.model';
import { WebhookSubscriptionModel } from './webhook-subscription.model';

export interface DeliveryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
  allowedHosts: string[];
  /** Subscribers served at once. */
  concurrency: number;
}

function ownerFilter(actor: Actor): Record<string, unknown> {
  return actor.role === 'admin' ? {} : { owner: actor.userId };
}

function presentSubscription(s: { _id: Types.ObjectId; url: string; events: string[]; description?: string | null; createdAt?: Date }) {
  return { id: String(s._id), url: s.url, events: s.events, description: s.description ?? undefined, createdAt: s.createdAt };
}

const SUBSCRIPTIONS_FRESH_MS = 1_000;

/** How far back the delivery log API pages: each page is merged in memory from the queue and the log. */
export const DELIVERY_LOG_DEPTH = 10_000;
const LISTED_FIELDS = 'event status attempts lastStatusCode lastError createdAt deliveredAt nextAttemptAt';
type ListedDelivery = Pick<Delivery, '_id' | 'event' | 'status' | 'attempts' | 'lastStatusCode' | 'lastError' | 'createdAt' | 'deliveredAt' | 'nextAttemptAt'>;

function newestFirst(a: ListedDelivery, b: ListedDelivery): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || String(b._id).localeCompare(String(a._id));
}
const readAllSubscriptions = () => WebhookSubscriptionModel.find({}).lean().exec();

export class WebhooksService {
  private cached?: { at: number; items: ReturnType<typeof readAllSubscriptions> };
  private timer?: NodeJS.Timeout;
  /** The start-up move of deliveries finished before the queue and the log were apart; `stop` ends it. */
  private moving?: Promise<unknown>;
  private stopping = false;
  private readonly destinations: DestinationPolicy;
  private readonly lanes: DeliveryLanes;

  constructor(
    private readonly cipher: FieldCipher,
    private readonly policy: DeliveryPolicy,
  ) {
    this.destinations = new DestinationPolicy(policy.allowedHosts);
    // A lease outlives one attempt (its timeout) with room to spare, and is renewed before each attempt.
    this.lanes = new DeliveryLanes((subscription) => this.openBatch(subscription), policy.concurrency, policy.timeoutMs * 3);
  }

  async subscribe(actor: Actor, input: { url: string; events: string[]; secret: string; description?: string }) {
    const url = URL.parse(input.url);
    if (!url) throw problems.validation([{ path: 'url', message: '回调地址格式无效', messageEn: 'url is not a valid URL', rule: 'url' }]);
    const resolved = await this.destinations.resolve(url);
    if ('refusal' in resolved) {
      throw problems.validation([{ path: 'url', message: `不允许的回调地址：${resolved.refusal.zh}`, messageEn: `destination not allowed: ${resolved.refusal.en}`, rule: 'webhookDestination' }]);
    }
    const created = await WebhookSubscriptionModel.create({
      url: input.url,
      events: input.events,
      sealedSecret: this.cipher.encrypt(input.secret),
      description: input.description,
      owner: actor.userId,
      apiKey: actor.apiKeyId,
    });
    this.cached = undefined;
    return presentSubscription(created);
  }

  async list(actor: Actor, url?: string) {
    const filter = { ...ownerFilter(actor), ...(url ? { url } : {}) };
    return (await WebhookSubscriptionModel.find(filter).sort({ createdAt: -1 }).lean()).map(presentSubscription);
  }

  /**
   * Every subscription, read at most once a second: a roster import publishes one event per archive it
   * writes, and a query per event would cost more than the import. Changes made in this process show at
   * once; another replica's within a second.
   */
  private async subscriptions() {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > SUBSCRIPTIONS_FRESH_MS) {
      this.cached = { at: now, items: readAllSubscriptions() };
      this.cached.items.catch(() => (this.cached = undefined));
    }
    return this.cached.items;
  }

  async unsubscribe(actor: Actor, id: string): Promise<void> {
    if (!Types.ObjectId.isValid(id)) throw problems.notFound('Webhook subscription', 'Webhook 订阅');
    const result = await WebhookSubscriptionModel.deleteOne({ _id: id, ...ownerFilter(actor) });
    this.cached = undefined;
    if (result.deletedCount === 0) throw problems.notFound('Webhook subscription', 'Webhook 订阅');
  }

  /**
   * A subscription's deliveries, newest first, from the queue and the log together. Each page is merged
   * from the newest `skip + limit` of both (so the log pages `DELIVERY_LOG_DEPTH` back at most). The
   * queue is read first: a delivery moved meanwhile is then found in the log, and one in both (the log
   * written, the queue not yet emptied) is shown once, as the log has it.
   */
  async deliveries(actor: Actor, id: string, page: { limit: number; skip: number }) {
    if (!Types.ObjectId.isValid(id) || !(await WebhookSubscriptionModel.exists({ _id: id, ...ownerFilter(actor) }))) {
      throw problems.notFound('Webhook subscription', 'Webhook 订阅');
    }
    const newest = page.skip + page.limit;
    // The two collections hold documents of one shape.
    const read = (model: typeof WebhookDeliveryModel) =>
      model.find({ subscription: id }).sort({ createdAt: -1, _id: -1 }).limit(newest).select(LISTED_FIELDS).lean<ListedDelivery[]>();
    const queued = await read(WebhookDeliveryModel);
    const logged = await read(WebhookDeliveryLogModel as unknown as typeof WebhookDeliveryModel);
    const inLog = new Set(logged.map((d) => String(d._id)));
    const merged = [...logged, ...queued.filter((d) => !inLog.has(String(d._id)))].sort(newestFirst);
    return merged.slice(page.skip, newest).map((d) => ({
      id: String(d._id),
      event: d.event,
      status: d.status,
      attempts: d.attempts,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      createdAt: d.createdAt,
      deliveredAt: d.deliveredAt,
      nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : undefined,
    }));
  }

  /** Records one delivery per subscription that wants the event and whose owner may read the record now. */
  async enqueue(event: DomainEvent): Promise<void> {
    const subscriptions = (await this.subscriptions()).filter((s) => s.events.includes(event.type));
    const eligible = [];
    for (const s of subscriptions) if (!(await receiveRefusal(s, event))) eligible.push(s);
    if (eligible.length === 0) return;
    const now = new Date();
    await WebhookDeliveryModel.insertMany(
      eligible.map((s) => ({
        subscription: s._id,
        event: event.type,
        college: event.college ?? undefined,
        recordOwner: event.owner ?? undefined,
        body: JSON.stringify({ event: event.type, occurredAt: now.toISOString(), data: event.payload }),
        nextAttemptAt: now,
      })),
    );
    this.kick();
  }

  /** `onError`: told when the deliveries finished before an upgrade could not be moved out of the queue. */
  start(intervalMs = 1000, onError: (error: unknown) => void = () => undefined): void {
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.moving = moveFinishedOutOfQueue(() => this.stopping).catch(onError);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.moving;
    await this.lanes.idle();
  }

  /** Sends what is due, one lane per subscriber (see DeliveryLanes). */
  kick(): void {
    this.lanes.kick();
  }

  /**
   * A batch of one subscriber's deliveries: the subscription, the subscriber's current rights and the
   * destination are read once for the batch (rights may have changed since the events were recorded:
   * owner deactivated, key revoked, moved college), each delivery is checked against those rights and
   * sent over one connection, and the outcomes are written together when the batch ends.
   */
  private async openBatch(subscriptionId: string): Promise<LaneBatch> {
    const subscription = await WebhookSubscriptionModel.findById(subscriptionId).lean();
    const actor = subscription ? await subscriberActor(subscription) : null;
    let secret: string | undefined;
    const outcomes: DeliveryOutcome[] = [];
    let destination: PinnedDestination | undefined;
    const send = async (delivery: Delivery): Promise<Outcome> => {
      if (!subscription) {
        outcomes.push({ delivery, finished: 'failed', set: { lastError: 'subscription deleted' } });
        return 'done';
      }
      const refused = refusalFor(actor, { type: delivery.event, college: delivery.college, owner: delivery.recordOwner });
      if (refused) {
        outcomes.push({ delivery, finished: 'withheld', set: { lastError: refused } });
        return 'done';
      }
      const attempts = (delivery.attempts ?? 0) + 1;
      try {
        secret ??= this.cipher.decrypt(subscription.sealedSecret) as string;
        destination ??= await PinnedDestination.open(this.destinations, subscription.url);
        const status = await destination.post(headersFor(delivery, secret), delivery.body, this.policy.timeoutMs);
        if (status >= 300 && status < 400) throw Object.assign(new RefusedDestination(`HTTP ${status}: redirects are not followed`), { status });
        if (status < 200 || status >= 300) throw Object.assign(new Error(`HTTP ${status}`), { status });
        outcomes.push({ delivery, finished: 'delivered', set: { attempts, lastStatusCode: status, deliveredAt: new Date() }, clearError: true });
        return 'done';
      } catch (error) {
        const lastError = error instanceof Error ? error.message : String(error);
        const lastStatusCode = (error as { status?: number }).status;
        // A refused destination or a redirect will not change by retrying.
        if (error instanceof RefusedDestination || attempts >= this.policy.maxAttempts) {
          outcomes.push({ delivery, finished: 'failed', set: { attempts, lastError, lastStatusCode } });
          return 'done';
        }
        const nextAttemptAt = new Date(Date.now() + this.policy.retryBaseMs * 2 ** (attempts - 1));
        outcomes.push({ delivery, retry: { attempts, lastError, lastStatusCode, nextAttemptAt } });
        return 'retry';
      }
    };
    const finish = async () => {
      destination?.close();
      await recordOutcomes(outcomes);
    };
    return { send, finish };
  }
}

function headersFor(delivery: Delivery, secret: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'home-school-bridge-webhooks',
    'X-HSB-Event': delivery.event,
    'X-HSB-Delivery': String(delivery._id),
    [SIGNATURE_HEADER]: signatureHeader(secret, delivery.body, Math.floor(Date.now() / 1000)),
  };
}

export const SUBSCRIBABLE_EVENTS = EVENT_TYPES;
