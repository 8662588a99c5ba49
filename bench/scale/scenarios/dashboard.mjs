// F1 at a school's size: the school dashboard (GET /api/dashboard, server time from its Server-Timing
// header and time at the client) against one raw aggregation of the same data through the driver — the
// students grouped by college, counselor, care tier and confirmation year, the largest of the
// aggregations behind the figures — and the recomputation of all figures, timed once.
import { compare, measure, sessionClient } from '../measure.mjs';

const DEMO_PASSWORD = 'demo-password';

export async function dashboard(ctx) {
  const { db, options, service } = ctx;
  const officer = await sessionClient(service.url, 'studentaffairs', DEMO_PASSWORD);
  ctx.memory.mark('dashboard refresh');
  const refreshStarted = performance.now();
  const refreshed = await officer('POST', '/api/dashboard/refresh');
  const refreshMs = Math.round(performance.now() - refreshStarted);

  const bounds = { seconds: options.seconds, iterations: Math.min(options.iterations, 200), warmup: options.warmup, concurrency: 1 };
  ctx.memory.mark('dashboard read');
  const raw = await measure({ ...bounds, iterations: Math.min(bounds.iterations, 10) }, () =>
    db.collection('students').aggregate([{ $group: { _id: { college: '$college', counselor: '$counselor', careTier: '$careTier', year: '$lastConfirmedYear' }, n: { $sum: 1 } } }]).toArray());
  const serverTimes = [];
  const read = (url) => measure(bounds, async () => {
    const response = await fetch(service.url + url, { headers: officer.headers });
    if (response.status !== 200) throw new Error(`${url} → ${response.status}`);
    const timing = /app;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '');
    if (timing) serverTimes.push(Number(timing[1]));
    const view = await response.json();
    if (!(view.figures.students > 0)) throw new Error('no students in the figures');
  });
  const school = await read('/api/dashboard');
  const schoolServer = [...serverTimes].sort((a, b) => a - b);
  serverTimes.length = 0;
  const college = await read(`/api/dashboard?college=${encodeURIComponent(ctx.school.colleges[0].code)}`);
  const p = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const schoolVsRaw = compare(school, raw);
  return {
    about: 'GET /api/dashboard (stored figures, one read by _id, cut to the reader) vs one raw $group over the students through the driver; plus POST /api/dashboard/refresh (every aggregation behind the figures) once',
    refreshMs, computeMs: refreshed.computeMs, school: schoolVsRaw, college: compare(college, raw),
    schoolServerMs: { p50: p(schoolServer, 0.5), p95: p(schoolServer, 0.95) },
    lines: [
      `dashboard school: p50 ${school.p50Ms} ms at the client, server p50 ${p(schoolServer, 0.5)} ms / p95 ${p(schoolServer, 0.95)} ms (n=${school.count}, errors ${school.errors}) | raw aggregation p50 ${raw.p50Ms} ms | ratio ${schoolVsRaw.p50Ratio}`,
      `dashboard one college: p50 ${college.p50Ms} ms | recomputation of all figures: ${refreshMs} ms (compute ${refreshed.computeMs} ms)`,
    ],
  };
}
