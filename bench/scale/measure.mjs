// Timing helpers: bounded runs at a given concurrency, percentiles, ratios, and a memory sampler.
import { memoryOf } from './service-process.mjs';

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Three significant digits: ratios far below 1 (0.00031) stay readable. */
const significant = (value) => (value === null || !Number.isFinite(value) ? null : Number(value.toPrecision(3)));
const round = (value, digits = 1) => (value === null || value === undefined || Number.isNaN(value) ? null : Number(value.toFixed(digits)));

/** Latencies in ms → the figures every case reports. */
export function summarize(latencies, elapsedMs, errors = 0) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    errors,
    seconds: round(elapsedMs / 1000, 2),
    perSecond: significant(sorted.length / (elapsedMs / 1000)),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? null),
  };
}

/**
 * Runs `operation(i)` with `concurrency` workers until `iterations` have started or `seconds` have passed
 * (whichever comes first), after `warmup` unmeasured calls. An operation that throws counts as an error;
 * the first error message is kept.
 */
export async function measure({ seconds, iterations, concurrency = 1, warmup = 0 }, operation) {
  for (let i = 0; i < warmup; i += 1) await operation(-1 - i);
  const latencies = [];
  let started = 0;
  let errors = 0;
  let firstError;
  const begin = performance.now();
  const deadline = begin + seconds * 1000;
  const worker = async () => {
    while (started < iterations && performance.now() < deadline) {
      const index = started;
      started += 1;
      const t0 = performance.now();
      try {
        await operation(index);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const result = { concurrency, ...summarize(latencies, performance.now() - begin, errors) };
  if (firstError) result.firstError = firstError.slice(0, 300);
  return result;
}

/** Ours against the raw baseline: throughput ratio (ours/raw, higher is better) and p50 ratio (ours/raw, lower is better). */
export function compare(ours, raw) {
  return {
    ours,
    raw,
    throughputRatio: ours.perSecond && raw.perSecond ? significant(ours.perSecond / raw.perSecond) : null,
    p50Ratio: ours.p50Ms && raw.p50Ms ? significant(ours.p50Ms / raw.p50Ms) : null,
    p99OverP50: ours.p50Ms && ours.p99Ms ? round(ours.p99Ms / ours.p50Ms, 2) : null,
  };
}

/** Samples the resident memory of the named processes; `mark(name)` starts a new phase. */
export function memorySampler(processes, intervalMs = 500) {
  const phases = new Map();
  let phase = 'idle';
  const sample = () => {
    const current = phases.get(phase) ?? {};
    for (const [name, pid] of Object.entries(processes)) {
      const memory = memoryOf(pid);
      if (!memory) continue;
      const seen = current[name] ?? { maxRssMb: 0, samples: 0, sumRssMb: 0 };
      seen.maxRssMb = Math.max(seen.maxRssMb, memory.rssMb);
      seen.samples += 1;
      seen.sumRssMb += memory.rssMb;
      current[name] = seen;
    }
    phases.set(phase, current);
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  sample();
  return {
    mark(name) {
      sample();
      phase = name;
      sample();
    },
    stop() {
      clearInterval(timer);
      sample();
      const out = {};
      for (const [name, byProcess] of phases) {
        out[name] = Object.fromEntries(Object.entries(byProcess).map(([p, s]) => [p, { maxRssMb: s.maxRssMb, meanRssMb: Math.round(s.sumRssMb / s.samples) }]));
      }
      const peaks = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, memoryOf(pid)]));
      return { byPhase: out, now: peaks };
    },
  };
}

/** A JSON client for the service with the bench's API key; throws on a status other than `expect`. */
export function apiClient(baseUrl, apiKey, credentials = { 'X-API-Key': apiKey }) {
  return async function api(method, url, body, expect = [200, 201, 204]) {
    const response = await fetch(baseUrl + url, {
      method,
      headers: { ...credentials, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expect.includes(response.status)) throw new Error(`${method} ${url} → ${response.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/** The same client for a member of staff signed in with a password (a browser session's cookie). */
export async function sessionClient(baseUrl, username, password) {
  const response = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (response.status !== 200) throw new Error(`sign-in of ${username} → ${response.status} ${(await response.text()).slice(0, 200)}`);
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  const headers = { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' };
  return Object.assign(apiClient(baseUrl, undefined, headers), { headers });
}
