// P1 (B6): launching a term letter to the whole school — one letter per family, made in the background —
// against a raw `insertMany` of the very same letter documents (and outbox batches) through the driver, in
// one command each (the driver splits it by the server's limits), into scratch collections of the same database. Everything is removed afterwards.
import { ObjectId } from 'mongodb';
import { sessionClient } from '../measure.mjs';

const DEMO_PASSWORD = 'demo-password';

/** One `insertMany` of all the documents (the driver splits it as the server's limits require). */
async function insertAll(collection, docs) {
  if (docs.length === 0) return 0;
  const began = performance.now();
  await collection.insertMany(docs, { ordered: false });
  return performance.now() - began;
}

export async function letterLaunch(ctx) {
  const { db, service, log } = ctx;
  const officer = await sessionClient(service.url, 'studentaffairs', DEMO_PASSWORD);
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const created = await officer('POST', '/api/letter-campaigns', { title: '致家长的一封信（基准测试）', term: 'autumn', html: '<p>尊敬的家长：您好！</p>', feedbackDueAt: due }, [201]);
  const campaign = new ObjectId(created.id);
  const scratch = [db.collection('bench_familyletters'), db.collection('bench_letteroutboxbatches')];
  try {
    const began = performance.now();
    await officer('POST', `/api/letter-campaigns/${created.id}/launch`, undefined, [202]);
    let progress;
    for (;;) {
      progress = await officer('GET', `/api/letter-campaigns/${created.id}/progress`);
      if (progress.lettersCreated) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const launchMs = performance.now() - began;
    ctx.memory.mark('letter-launch');

    const letters = await db.collection('familyletters').find({ campaign }).toArray();
    const batches = await db.collection('letteroutboxbatches').find({ campaign }).toArray();
    if (letters.length !== progress.families) throw new Error(`${letters.length} letters for ${progress.families} families`);
    for (const c of scratch) await c.drop().catch(() => undefined);
    const rawMs = (await insertAll(scratch[0], letters)) + (await insertAll(scratch[1], batches));
    const ratio = launchMs / rawMs;
    log(`  ${letters.length} letters, ${batches.length} outbox batches`);
    return {
      families: progress.families,
      letters: letters.length,
      batches: batches.length,
      launchMs: Math.round(launchMs),
      rawInsertMs: Math.round(rawMs),
      ratio: Number(ratio.toFixed(2)),
      target: '≤ 1.5',
      lines: [`letter launch: ${progress.families.toLocaleString('en')} families in ${(launchMs / 1000).toFixed(1)} s; raw insertMany of the same documents ${(rawMs / 1000).toFixed(1)} s → ${ratio.toFixed(2)}× (target ≤ 1.5×)`],
    };
  } finally {
    for (const c of scratch) await c.drop().catch(() => undefined);
    await db.collection('familyletters').deleteMany({ campaign }).catch(() => undefined);
    await db.collection('letteroutboxbatches').deleteMany({ campaign }).catch(() => undefined);
    await db.collection('lettercampaigns').deleteOne({ _id: campaign }).catch(() => undefined);
  }
}
