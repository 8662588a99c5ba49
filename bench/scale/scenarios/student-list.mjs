// GET /api/students?limit=50 (first page, one college, a name search) against the raw find with the
// same filter, sort and limit through the driver, at concurrency 1.
import { compare, measure } from '../measure.mjs';

function escapeRegex(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function studentList(ctx) {
  const { api, db, options, school } = ctx;
  const students = db.collection('students');
  const college = school.colleges[1] ?? school.colleges[0];
  const text = '王';
  const queries = {
    firstPage: { url: '/api/students?limit=50', filter: {} },
    college: { url: `/api/students?limit=50&college=${encodeURIComponent(college.code)}`, filter: { college: college._id } },
    search: { url: `/api/students?limit=50&q=${encodeURIComponent(text)}`, filter: { $or: [{ studentNo: { $regex: `^${escapeRegex(text)}` } }, { name: { $regex: escapeRegex(text) } }] } },
  };
  const bounds = { seconds: options.seconds, iterations: options.iterations, warmup: options.warmup, concurrency: 1 };
  const cases = {};
  for (const [name, query] of Object.entries(queries)) {
    ctx.memory.mark(`student-list ${name}`);
    const raw = await measure(bounds, () => students.find(query.filter).sort({ studentNo: 1 }).limit(50).toArray());
    const ours = await measure(bounds, async () => {
      const page = await api('GET', query.url);
      if (!Array.isArray(page.items) || page.items.length === 0) throw new Error(`${query.url}: empty page`);
    });
    cases[name] = { url: query.url, ...compare(ours, raw) };
  }
  // The list also answers `total`: what one count costs here, for reading the figures above.
  ctx.memory.mark('student-list count');
  const count = await measure({ ...bounds, iterations: Math.min(bounds.iterations, 10) }, () => students.countDocuments({}));
  return {
    about: 'GET /api/students?limit=50 vs find(filter).sort({studentNo:1}).limit(50) through the driver (same database); the service also counts the matches',
    ...cases,
    rawCountAll: count,
    lines: [
      ...Object.entries(cases).map(([name, c]) =>
        `students ${name}: p50 ${c.ours.p50Ms} ms p99 ${c.ours.p99Ms} ms (n=${c.ours.count}, errors ${c.ours.errors}) | raw find p50 ${c.raw.p50Ms} ms | p50 ratio ${c.p50Ratio}`),
      `students raw countDocuments({}): p50 ${count.p50Ms} ms`,
    ],
  };
}
