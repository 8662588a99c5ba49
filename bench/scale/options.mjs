// The knobs of `npm run bench` (environment variables), read once. Every scenario is bounded both by a
// time box and by an iteration cap, so a quick run (HSB_BENCH_QUICK=1) finishes in minutes.
import os from 'node:os';
import path from 'node:path';

/** Bump when the seeded school changes shape: a new version seeds a new cache folder. */
export const SEED_VERSION = 'v1';

function integer(name, fallback, min = 0) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}="${raw}" must be a whole number ≥ ${min}`);
  return value;
}

function flag(name) {
  return ['1', 'true', 'yes'].includes(String(process.env[name] ?? '').toLowerCase());
}

export function readOptions() {
  const quick = flag('HSB_BENCH_QUICK');
  // The demo seed the service makes itself holds 1,000 students; the bench adds the rest.
  const students = integer('HSB_BENCH_STUDENTS', 40_000, 1_000);
  const cacheRoot = process.env.HSB_CACHE ?? path.join(os.homedir(), '.cache', 'home-school-bridge');
  return {
    quick,
    students,
    dataDir: process.env.HSB_BENCH_DIR ?? path.join(cacheRoot, `bench-${students}-${SEED_VERSION}`),
    reseed: flag('HSB_BENCH_RESEED'),
    /** Keep what the run wrote (contacts, submissions, deliveries) instead of removing it afterwards. */
    keep: flag('HSB_BENCH_KEEP'),
    /** Comma-separated scenario names; all when unset. */
    only: (process.env.HSB_BENCH_SCENARIOS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    /** Time box of one measured case (one concurrency, one query), in seconds. */
    seconds: integer('HSB_BENCH_SECONDS', quick ? 8 : 45, 1),
    /** Most operations one measured case makes (the time box usually ends it first at 40,000). */
    iterations: integer('HSB_BENCH_ITERATIONS', quick ? 40 : 2_000, 1),
    /** Unmeasured operations before each case. */
    warmup: integer('HSB_BENCH_WARMUP', quick ? 1 : 2, 0),
    /** Size of each photo of a visit report: a phone photo as the browser's file chooser hands it over. */
    photoBytes: integer('HSB_BENCH_PHOTO_KB', 1_500, 1) * 1024,
    /** Events in the delivery burst. */
    events: integer('HSB_BENCH_EVENTS', quick ? 300 : 2_000, 1),
    /**
     * Finished deliveries already on record when the burst starts: a year of contact-log events for one
     * subscriber at this size. What the service reads to find due deliveries must not grow with them.
     */
    deliveryHistory: integer('HSB_BENCH_DELIVERY_HISTORY', quick ? 20_000 : 120_000, 0),
    /** Subscribers the fan-out run sends one burst of `events` deliveries to at once (each its share, in order). */
    fanOut: integer('HSB_BENCH_FAN_OUT', 8, 1),
    /** How long the receiver stays down in the outage run, and how many events happen meanwhile. */
    outageMs: integer('HSB_BENCH_OUTAGE_MS', quick ? 15_000 : 60_000, 0),
    outageEvents: integer('HSB_BENCH_OUTAGE_EVENTS', quick ? 50 : 200, 1),
    /** `direct`: events recorded in the delivery queue as enqueue records them; `api`: contact-log submissions. */
    eventSource: process.env.HSB_BENCH_EVENT_SOURCE === 'api' ? 'api' : 'direct',
    /** Longest wait for a burst to be delivered before the rest are counted as not delivered. */
    deliveryTimeoutMs: integer('HSB_BENCH_DELIVERY_TIMEOUT_MS', quick ? 180_000 : 900_000, 1_000),
    /** Longest wait for the service to start (the first start builds FerretDB with Go). */
    startTimeoutMs: integer('HSB_BENCH_START_TIMEOUT_MS', 600_000, 1_000),
  };
}
