// P1 (B6): launching a term letter to the whole school — one letter per family, made in the background —
// against a raw `insertMany` of the very same letter documents (and outbox batches) through the driver, in
// one command each (the driver splits it by the server's limits), into scratch collections of the same
// database: once into bare collections, once into collections carrying the letters' own indexes (which
// the launch has to maintain too). A quick run makes two rounds, a full run three; each round launches a
// new campaign and measures both baselines right after it, and the medians are reported. Everything is
// removed afterwards.
import { ObjectId } from 'mongodb';
import { sessionClient } from '../measure.mjs';

const DEMO_PASSWORD = 'demo-password';
const SOURCES = ['familyletters', 'letteroutboxbatches'];

/** One `insertMany` of all the documents (the driver splits it as the server's limits require). */
async function insertAll(collection, docs) {
  if (docs.length === 0) return 0;
  const began = performance.now();
  await collection.insertMany(docs, { ordered: false });
  return performance.now() - began;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** By id in parts: FerretDB refuses a delete of more than ≈ 32,000 documents in one command. */
async function removeCampaign(db, campaign) {
  for (const name of SOURCES) {
    const ids = (await db.collection(name).find({ campaign }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
    for (let i = 0; i < ids.length; i += 5_000) await db.collection(name).deleteMany({ _id: { $in: ids.slice(i, i + 5_000) } });
  }
  await db.collection('lettercampaigns').deleteOne({ _id: campaign });
}

/** The raw insert of the same documents into fresh scratch collections, bare or with the letters' indexes. */
async function rawInsert(db, scratch, docs, withIndexes) {
  for (const c of scratch) await c.drop().catch(() => undefined);
  if (withIndexes) {
    for (const [k, source] of SOURCES.entries()) {
      for (const index of await db.collection(source).indexes()) if (index.name !== '_id_') await scratch[k].createIndex(index.key, { name: index.name });
    }
  }
  const ms = (await insertAll(scratch[0], docs.letters)) + (await insertAll(scratch[1], docs.batches));
  for (const c of scratch) await c.drop().catch(() => undefined);
  return ms;
}

/** One launch timed from the request until the campaign records its letters made. */
async function launchOnce(db, officer) {
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const created = await officer('POST', '/api/letter-campaigns', { title: '致家长的一封信（基准测试）', term: 'autumn', html: '<p>尊敬的家长：您好！</p>', feedbackDueAt: due }, [201]);
  const campaign = new ObjectId(created.id);
  const began = performance.now();
  const beganAt = Date.now();
  await officer('POST', `/api/letter-campaigns/${created.id}/launch`, undefined, [202]);
  let progress;
  // When the families were known (audience read and planned): seen on the progress, to the second.
  let audienceMs;
  for (;;) {
    progress = await officer('GET', `/api/letter-campaigns/${created.id}/progress`);
    if (audienceMs === undefined && progress.families) audienceMs = performance.now() - began;
    if (progress.lettersCreated) break;
    // As often as the campaign page polls; the end is taken from the campaign's own record below.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const { lettersCreatedAt } = await db.collection('lettercampaigns').findOne({ _id: campaign }, { projection: { lettersCreatedAt: 1 } });
  return { campaign, progress, launchMs: lettersCreatedAt.getTime() - beganAt, audienceMs: audienceMs ?? lettersCreatedAt.getTime() - beganAt };
}

export async function letterLaunch(ctx) {
  const { db, service, log, options } = ctx;
  const officer = await sessionClient(service.url, 'studentaffairs', DEMO_PASSWORD);
  const scratch = [db.collection('bench_familyletters'), db.collection('bench_letteroutboxbatches')];
  const rounds = [];
  let docs;
  for (let round = 0; round < (options.quick ? 2 : 3); round += 1) {
    const launched = await launchOnce(db, officer);
    try {
      ctx.memory.mark('letter-launch');
      // The documents the launch made (the same every round: ids derive from campaign and family).
      const letters = await db.collection('familyletters').find({ campaign: launched.campaign }).toArray();
      const batches = await db.collection('letteroutboxbatches').find({ campaign: launched.campaign }).toArray();
      if (letters.length !== launched.progress.families) throw new Error(`${letters.length} letters for ${launched.progress.families} families`);
      docs = { letters, batches };
      const rawMs = await rawInsert(db, scratch, docs, false);
      const rawIndexedMs = await rawInsert(db, scratch, docs, true);
      rounds.push({ launchMs: launched.launchMs, audienceMs: Math.round(launched.audienceMs), rawMs: Math.round(rawMs), rawIndexedMs: Math.round(rawIndexedMs) });
      log(`  round ${round + 1}: launch ${(launched.launchMs / 1000).toFixed(1)} s (families known after ${(launched.audienceMs / 1000).toFixed(1)} s); raw ${(rawMs / 1000).toFixed(1)} s, into indexed ${(rawIndexedMs / 1000).toFixed(1)} s`);
    } finally {
      await removeCampaign(db, launched.campaign);
    }
  }
  const launchMs = median(rounds.map((r) => r.launchMs));
  const rawMs = median(rounds.map((r) => r.rawMs));
  const rawIndexedMs = median(rounds.map((r) => r.rawIndexedMs));
  const families = docs.letters.length;
  log(`  ${families} letters, ${docs.batches.length} outbox batches`);
  return {
    families,
    letters: families,
    batches: docs.batches.length,
    rounds,
    launchMs,
    audienceMs: median(rounds.map((r) => r.audienceMs)),
    rawInsertMs: rawMs,
    ratio: Number((launchMs / rawMs).toFixed(2)),
    rawInsertIntoIndexedMs: rawIndexedMs,
    ratioToIndexed: Number((launchMs / rawIndexedMs).toFixed(2)),
    target: '≤ 1.5',
    lines: [
      `letter launch (median of ${rounds.length}): ${families.toLocaleString('en')} families in ${(launchMs / 1000).toFixed(1)} s; raw insertMany of the same documents into collections with the letters' indexes ${(rawIndexedMs / 1000).toFixed(1)} s → ${(launchMs / rawIndexedMs).toFixed(2)}× (target ≤ 1.5×)`,
      `  (into bare collections: raw ${(rawMs / 1000).toFixed(1)} s → ${(launchMs / rawMs).toFixed(2)}×)`,
    ],
  };
}
