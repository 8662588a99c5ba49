// GET /api/tasks (My tasks) for a counselor, a college leader, student affairs and a teacher of the demo
// (signed in with the demo password), each against the one scan every such request makes at least: the
// raw find of the counselor's students through the driver (same filter, sort and bound).
import { compare, measure } from '../measure.mjs';

const PEOPLE = ['counselor1', 'collegeleader1', 'studentaffairs', 'teacher1'];

async function signIn(url, username) {
  const response = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ username, password: 'demo-password' }) });
  if (response.status !== 200) throw new Error(`sign-in of ${username}: HTTP ${response.status}`);
  return response.headers.get('set-cookie').split(';')[0];
}

export async function myTasks(ctx) {
  const { db, options, service } = ctx;
  const counselor = await db.collection('users').findOne({ username: 'counselor1' });
  const students = db.collection('students');
  const bounds = { seconds: options.seconds, iterations: options.iterations, warmup: options.warmup, concurrency: 1 };
  ctx.memory.mark('my-tasks raw');
  const raw = await measure(bounds, () => students.find({ college: counselor.college, counselor: counselor._id }).sort({ studentNo: 1 }).limit(5_001).toArray());
  const cases = {};
  for (const username of PEOPLE) {
    const cookie = await signIn(service.url, username);
    let last;
    ctx.memory.mark(`my-tasks ${username}`);
    const ours = await measure(bounds, async () => {
      const response = await fetch(`${service.url}/api/tasks`, { headers: { Accept: 'application/json', Cookie: cookie } });
      if (response.status !== 200) throw new Error(`GET /api/tasks as ${username}: HTTP ${response.status}`);
      last = await response.json();
    });
    cases[username] = { ...compare(ours, raw), rows: last?.items.length ?? null, counts: last?.counts ?? null, truncated: last?.truncated ?? null };
  }
  return {
    about: 'GET /api/tasks per person vs find({college, counselor}).sort({studentNo:1}).limit(5001) through the driver (the caseload read)',
    ...cases,
    lines: Object.entries(cases).map(([who, c]) =>
      `tasks ${who}: p50 ${c.ours.p50Ms} ms p99 ${c.ours.p99Ms} ms (n=${c.ours.count}, errors ${c.ours.errors}) | ${c.rows} rows, counts ${JSON.stringify(c.counts)} | raw caseload find p50 ${c.raw.p50Ms} ms | p50 ratio ${c.p50Ratio}`),
  };
}
