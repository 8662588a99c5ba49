// Event delivery to a real local HTTP receiver subscribed through the webhooks API:
//  - a burst of events → delivered events/s and the delay from the event to its arrival;
//  - the same number of deliveries shared by HSB_BENCH_FAN_OUT subscribers at once (every event goes to
//    each of them, as to several n8n instances) → deliveries/s in all, each subscriber's order kept;
//  - the receiver down (connections refused) for HSB_BENCH_OUTAGE_MS while events happen, then back →
//    every event must still arrive (lost = 0), in order.
// The events are recorded straight into the delivery queue, as the service's enqueue records them (one
// pending delivery per event and subscriber): making 2,000 events through the API would take longer than
// delivering them at this size. Set HSB_BENCH_EVENT_SOURCE=api to make them with contact-log submissions.
import http from 'node:http';
import { ObjectId } from 'mongodb';
import { summarize } from '../measure.mjs';
import { contactData } from './contact-submission.mjs';

/** An HTTP server that records each delivery's arrival; `down()` closes it so connections are refused. */
export async function startReceiver() {
  const arrivals = new Map();
  let duplicates = 0;
  let port = 0;
  let server;
  const listen = () =>
    new Promise((resolve, reject) => {
      server = http.createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          const at = Date.now();
          const id = String(req.headers['x-hsb-delivery'] ?? '');
          let occurredAt = NaN;
          let seq;
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            occurredAt = Date.parse(body.occurredAt);
            seq = body.data?.benchSeq;
          } catch {
            /* counted without a delay */
          }
          if (arrivals.has(id)) duplicates += 1;
          else arrivals.set(id, { at, occurredAt, path: req.url, seq });
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
        });
      });
      server.keepAliveTimeout = 5_000;
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = server.address().port;
        resolve();
      });
    });
  await listen();
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    arrivals: (p) => [...arrivals.values()].filter((a) => a.path === p),
    duplicates: () => duplicates,
    down: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    up: listen,
  };
}

async function until(condition, timeoutMs, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, everyMs));
  return condition();
}

/** One pending delivery of the `seq`-th event to the subscription, as enqueue records it. */
function pendingDelivery(ctx, subscription, seq, i, now) {
  return {
    _id: new ObjectId(), subscription: new ObjectId(subscription.id), event: 'submission.created',
    body: JSON.stringify({ event: 'submission.created', occurredAt: now.toISOString(), data: { benchSeq: seq, formPath: 'contactLog', data: contactData(ctx.school.pick(i), i) } }),
    status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now, __v: 0,
  };
}

/** Makes `count` events for the subscription; returns when they are all recorded. */
async function makeEvents(ctx, subscription, count, firstSeq) {
  if (ctx.options.eventSource === 'api') {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        await ctx.api('POST', '/form/contactLog/submission', { data: contactData(ctx.school.pick(firstSeq + i), firstSeq + i) }, [201]);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return;
  }
  const docs = [];
  for (let i = 0; i < count; i += 1) docs.push(pendingDelivery(ctx, subscription, firstSeq + i, i, new Date()));
  await recordDeliveries(ctx, docs);
}

async function recordDeliveries(ctx, docs) {
  const deliveries = ctx.db.collection('webhookdeliveries');
  for (let i = 0; i < docs.length; i += 500) await deliveries.insertMany(docs.slice(i, i + 500), { ordered: true });
}

/** Each of `perSubscriber` events goes to every subscription, as enqueue records an event for each subscriber. */
async function makeFanOutEvents(ctx, subscriptions, perSubscriber) {
  const docs = [];
  for (let i = 0; i < perSubscriber; i += 1) {
    const now = new Date();
    for (const subscription of subscriptions) docs.push(pendingDelivery(ctx, subscription, i, i, now));
  }
  await recordDeliveries(ctx, docs);
}

/**
 * A year of finished deliveries to an earlier subscriber, written where the service keeps them, so the
 * burst is measured against a delivery log of a real size and not an empty one.
 */
const historyCollection = (ctx) => ctx.db.collection('webhookdeliverylog');

/** Returns the ids it recorded. */
async function recordHistory(ctx, count) {
  const log = historyCollection(ctx);
  const subscription = new ObjectId();
  const ids = [];
  const yearAgo = Date.now() - 365 * 86_400_000;
  for (let i = 0; i < count; i += 500) {
    const docs = [];
    for (let j = i; j < Math.min(count, i + 500); j += 1) {
      const at = new Date(yearAgo + Math.floor((j / count) * 364 * 86_400_000));
      docs.push({
        _id: new ObjectId(), subscription, event: 'submission.created',
        body: JSON.stringify({ event: 'submission.created', occurredAt: at.toISOString(), data: { formPath: 'contactLog', data: contactData(ctx.school.pick(j), j) } }),
        status: 'delivered', attempts: 1, lastStatusCode: 200, nextAttemptAt: at, deliveredAt: at, createdAt: at, updatedAt: at, __v: 0,
      });
    }
    await log.insertMany(docs, { ordered: true });
    ids.push(...docs.map((d) => d._id));
  }
  return ids;
}

/**
 * The embedded engine cannot delete 120,000 documents in one command (one SQL variable each): a log that
 * was empty before the run is dropped, otherwise the recorded ones are deleted by `_id`, 50 a command.
 */
async function removeHistory(ctx, ids, logWasEmpty) {
  const log = historyCollection(ctx);
  if (logWasEmpty) return void (await log.drop());
  for (let i = 0; i < ids.length; i += 50) await log.bulkWrite(ids.slice(i, i + 50).map((_id) => ({ deleteOne: { filter: { _id } } })), { ordered: false });
}

function deliveryFigures(arrivals, expected, startedAt) {
  const delays = arrivals.filter((a) => Number.isFinite(a.occurredAt)).map((a) => a.at - a.occurredAt);
  const last = Math.max(startedAt, ...arrivals.map((a) => a.at));
  const delay = summarize(delays, 1);
  const ordered = arrivals.filter((a) => a.seq !== undefined).sort((a, b) => a.at - b.at);
  let outOfOrder = 0;
  for (let i = 1; i < ordered.length; i += 1) if (ordered[i].seq < ordered[i - 1].seq) outOfOrder += 1;
  return {
    expected,
    delivered: arrivals.length,
    lost: expected - arrivals.length,
    deliveredPerSecond: Number((arrivals.length / ((last - startedAt) / 1000 || 1)).toFixed(1)),
    secondsToLast: Number(((last - startedAt) / 1000).toFixed(1)),
    delayP50Ms: delay.p50Ms,
    delayP99Ms: delay.p99Ms,
    delayMaxMs: delay.maxMs,
    outOfOrder,
  };
}

export async function eventDelivery(ctx) {
  const { api, options } = ctx;
  const receiver = await startReceiver();
  const subscribe = (p) => api('POST', '/api/webhooks', { url: receiver.url(p), events: ['submission.created'], secret: 'bench-secret-0123456789', description: `bench ${p}` }, [201]);
  const subscriptions = [];
  let history = [];
  const logWasEmpty = (await historyCollection(ctx).estimatedDocumentCount()) === 0;
  try {
    const historyStart = Date.now();
    history = await recordHistory(ctx, options.deliveryHistory);
    const historyMs = Date.now() - historyStart;
    // Burst.
    ctx.memory.mark('event-delivery burst');
    const burst = await subscribe('/burst');
    subscriptions.push(burst);
    const burstStart = Date.now();
    await makeEvents(ctx, burst, options.events, 0);
    const recordedMs = Date.now() - burstStart;
    await until(() => receiver.arrivals('/burst').length >= options.events, options.deliveryTimeoutMs);
    const burstFigures = { recordedInMs: recordedMs, ...deliveryFigures(receiver.arrivals('/burst'), options.events, burstStart) };
    await api('DELETE', `/api/webhooks/${subscriptions.pop().id}`, undefined, [204]);

    // Fan-out: as many deliveries as the burst, shared by several subscribers at once.
    ctx.memory.mark('event-delivery fan-out');
    const perSubscriber = Math.ceil(options.events / options.fanOut);
    const fanPaths = Array.from({ length: options.fanOut }, (_, k) => `/fan-${k}`);
    const fans = [];
    for (const p of fanPaths) fans.push(await subscribe(p));
    subscriptions.push(...fans);
    const fanStart = Date.now();
    await makeFanOutEvents(ctx, fans, perSubscriber);
    const fanRecordedMs = Date.now() - fanStart;
    const fanArrivals = () => fanPaths.flatMap((p) => receiver.arrivals(p));
    await until(() => fanArrivals().length >= perSubscriber * options.fanOut, options.deliveryTimeoutMs);
    const fanFigures = {
      subscribers: options.fanOut,
      recordedInMs: fanRecordedMs,
      ...deliveryFigures(fanArrivals(), perSubscriber * options.fanOut, fanStart),
      // Order is each subscriber's own.
      outOfOrder: fanPaths.reduce((sum, p) => sum + deliveryFigures(receiver.arrivals(p), perSubscriber, fanStart).outOfOrder, 0),
    };
    for (const fan of fans) await api('DELETE', `/api/webhooks/${fan.id}`, undefined, [204]);
    subscriptions.splice(subscriptions.length - fans.length, fans.length);

    // Outage: the receiver refuses connections while events happen, then comes back.
    ctx.memory.mark('event-delivery outage');
    const outage = await subscribe('/outage');
    subscriptions.push(outage);
    await receiver.down();
    const outageStart = Date.now();
    await makeEvents(ctx, outage, options.outageEvents, 1_000_000);
    await new Promise((r) => setTimeout(r, Math.max(0, options.outageMs - (Date.now() - outageStart))));
    await receiver.up();
    const backAt = Date.now();
    await until(() => receiver.arrivals('/outage').length >= options.outageEvents, options.deliveryTimeoutMs);
    const arrived = receiver.arrivals('/outage');
    let failed = 0;
    for (const name of ['webhookdeliveries', 'webhookdeliverylog']) failed += await ctx.db.collection(name).countDocuments({ subscription: new ObjectId(outage.id), status: 'failed' });
    const outageFigures = {
      outageMs: options.outageMs,
      firstArrivalAfterBackMs: arrived.length ? Math.min(...arrived.map((a) => a.at)) - backAt : null,
      lastArrivalAfterBackMs: arrived.length ? Math.max(...arrived.map((a) => a.at)) - backAt : null,
      failedInDatabase: failed,
      ...deliveryFigures(arrived, options.outageEvents, outageStart),
    };
    const result = {
      about: `events recorded by ${options.eventSource === 'api' ? 'contact-log submissions through the API (8 at once)' : 'inserting pending deliveries as enqueue does'}; receiver: a local HTTP server answering 200 at once`,
      eventSource: options.eventSource,
      history: { finishedDeliveries: options.deliveryHistory, recordedInMs: historyMs },
      burst: burstFigures,
      fanOut: fanFigures,
      outage: outageFigures,
      duplicates: receiver.duplicates(),
    };
    result.lines = [
      `events burst of ${burstFigures.expected} (${options.deliveryHistory.toLocaleString('en')} finished deliveries on record): ${burstFigures.deliveredPerSecond} delivered/s, delay p50 ${burstFigures.delayP50Ms} ms p99 ${burstFigures.delayP99Ms} ms, lost ${burstFigures.lost}, out of order ${burstFigures.outOfOrder}`,
      `events fan-out of ${fanFigures.expected} deliveries to ${fanFigures.subscribers} subscribers at once: ${fanFigures.deliveredPerSecond} delivered/s in all, delay p50 ${fanFigures.delayP50Ms} ms p99 ${fanFigures.delayP99Ms} ms, lost ${fanFigures.lost}, out of order ${fanFigures.outOfOrder}`,
      `events receiver down ${options.outageMs / 1000} s (${outageFigures.expected} events): lost ${outageFigures.lost}, failed ${failed}, all delivered ${outageFigures.lastArrivalAfterBackMs === null ? '—' : `${(outageFigures.lastArrivalAfterBackMs / 1000).toFixed(1)} s`} after it came back, duplicates ${result.duplicates}`,
    ];
    return result;
  } finally {
    for (const s of subscriptions) await api('DELETE', `/api/webhooks/${s.id}`, undefined, [204, 404]).catch(() => undefined);
    await receiver.down().catch(() => undefined);
    // What the run measured stays measured when the clean-up fails; the failure is said.
    await removeHistory(ctx, history, logWasEmpty).catch((error) => ctx.log(`  the recorded delivery history could not be removed: ${error.message}`));
  }
}
