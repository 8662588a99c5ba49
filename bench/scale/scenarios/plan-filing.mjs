// D5 at a real college's size: a counselor files the visit plan of the largest college (10,000 students
// in the 40,000 school) with ⌈1% × students⌉ planned visits, reads it back with its coverage per grade and
// major, and submits it — against the raw aggregation the coverage check needs (the college's students
// counted per grade and major) through the driver on the same database.
import { ObjectId } from 'mongodb';
import { compare, measure, sessionClient } from '../measure.mjs';

const DEMO_PASSWORD = 'demo-password';

async function largestCollege(db) {
  const [top] = await db.collection('students').aggregate([{ $group: { _id: '$college', students: { $sum: 1 } } }, { $sort: { students: -1 } }, { $limit: 1 }]).toArray();
  return { college: await db.collection('colleges').findOne({ _id: top._id }), students: top.students };
}

export async function planFiling(ctx) {
  const { db, options, service } = ctx;
  const { college, students } = await largestCollege(db);
  const counselor = await db.collection('users').findOne({ role: 'counselor', college: college._id, username: /^counselor\d+$/ });
  if (!counselor) throw new Error(`no demo counselor in college ${college.code} (password "${DEMO_PASSWORD}")`);
  const staff = await sessionClient(service.url, counselor.username, DEMO_PASSWORD);
  // Student affairs opens the campaign (the cached school's API key may predate the visit permissions).
  const api = await sessionClient(service.url, 'studentaffairs', DEMO_PASSWORD);
  const required = Math.ceil(students / 100);
  const targets = await db.collection('students').find({ college: college._id }).project({ studentNo: 1 }).sort({ _id: 1 }).limit(required).toArray();
  const entries = targets.map((s, i) => ({ student: s.studentNo, mode: ['onsite', 'video', 'phone'][i % 3], kind: 'general', visitors: [{ user: counselor.username }] }));
  const implementation = { organization: '学院统一部署，辅导员分片负责', schedule: '寒假期间分批开展', safety: '出行前报备，结伴出行' };

  const year = new Date().getFullYear() + 1;
  const created = await api('POST', '/api/visit-campaigns', {
    title: `${year}年寒假家访（基准测试）`, break: 'winter', visitStartsOn: `${year}-01-15`, visitEndsOn: `${year}-02-20`, planDueAt: `${year}-01-10 12:00`, colleges: [college.code],
  }, [201]);
  const campaign = created.id;
  const route = `/api/visit-campaigns/${campaign}/plans/${college.code}`;
  try {
    await api('POST', `/api/visit-campaigns/${campaign}/open`);
    const bounds = { seconds: options.seconds, iterations: Math.min(options.iterations, 30), warmup: 1, concurrency: 1 };
    ctx.memory.mark('plan-filing');
    const raw = await measure(bounds, () =>
      db.collection('students').aggregate([{ $match: { college: college._id } }, { $group: { _id: { grade: '$grade', major: '$major' }, students: { $sum: 1 } } }]).toArray());
    const file = await measure(bounds, async () => {
      const plan = await staff('PUT', route, { entries, implementation });
      if (plan.coverage.counted !== required) throw new Error(`counted ${plan.coverage.counted}, expected ${required}`);
    });
    const read = await measure(bounds, async () => {
      const plan = await staff('GET', route);
      if (plan.entries.length !== required) throw new Error(`${plan.entries.length} entries`);
    });
    const submitStarted = performance.now();
    const submitted = await staff('POST', `${route}/submit`, undefined);
    const submitMs = Math.round(performance.now() - submitStarted);
    if (submitted.state !== 'submitted') throw new Error(`submit → state ${submitted.state}`);
    const filing = compare(file, raw);
    const reading = compare(read, raw);
    return {
      about: `a counselor files (PUT), reads (GET) and submits the visit plan of college ${college.code} (${students} students, ${required} visits = ⌈1%⌉) vs the raw aggregation of that college's students per grade and major`,
      college: college.code, students, visits: required, filing, reading, submitMs,
      lines: [
        `plan of ${college.code} (${students.toLocaleString('en')} students, ${required} visits): file p50 ${file.p50Ms} ms (n=${file.count}, errors ${file.errors}), read p50 ${read.p50Ms} ms, submit ${submitMs} ms | raw aggregation p50 ${raw.p50Ms} ms | file/raw ${filing.p50Ratio}, read/raw ${reading.p50Ratio}`,
      ],
    };
  } finally {
    const id = new ObjectId(campaign);
    const prefix = new RegExp(`^${campaign}:`);
    await Promise.all([
      db.collection('visitcampaigns').deleteOne({ _id: id }),
      db.collection('visitplans').deleteMany({ _id: prefix }),
      db.collection('visitplanrevisions').deleteMany({ _id: prefix }),
      db.collection('campaignmilestones').deleteMany({ _id: prefix }),
    ]).catch(() => undefined);
  }
}
