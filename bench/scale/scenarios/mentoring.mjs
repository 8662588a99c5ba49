// C1–C2 at scale: mentoring groups (结对帮扶) for up to 200 special-tier students, proposed and approved through
// the API (members from each college's teaching staff), then, each against the raw reads or write through
// the driver with the same filter, sort and limit:
//   - GET /api/mentoring-groups/suggestions?student= as the demo's counselor1 (a special student of their
//     college without a group) vs the college's mentoring staff find + the open groups of those staff;
//   - GET /api/mentoring-groups?limit=50 as the demo's collegeleader1 vs the raw find of the same page;
//   - POST /api/mentoring-groups/:id/activities as counselor1 at concurrency 1 and 8 vs an insertOne of the
//     same activity document into a scratch collection;
//   - GET /api/mentoring-groups/report as student affairs vs the six raw aggregations it stands for.
// Everything the scenario added (groups, activities, revision and student claims, their audit entries, the
// scratch collection) is removed afterwards.
import { ObjectId } from 'mongodb';
import { compare, measure, sessionClient } from '../measure.mjs';

const DEMO_PASSWORD = 'demo-password';
const GROUPS = 200;
/** As the service's mentoring-vocabulary.ts: the staff suggested as members, the states that hold a student. */
const MENTOR_ROLES = ['counselor', 'academicMentor', 'growthMentor', 'teacher', 'collegeLeader'];
const OPEN_STATES = ['proposed', 'active'];
/** The service's bounds of the suggestions' reads (mentoring-groups.service.ts: STAFF_BOUND, × GROUP_MAX). */
const STAFF_BOUND = 1_000;
const GROUP_MAX = 5;
const DAY = 86_400_000;
const SEEDING_WORKERS = 4;

/** The figures of one case as a summary line. */
function line(label, c, rawLabel) {
  return `mentoring ${label}: p50 ${c.ours.p50Ms} ms p99 ${c.ours.p99Ms} ms (n=${c.ours.count}, errors ${c.ours.errors}) | ${rawLabel} p50 ${c.raw.p50Ms} ms p99 ${c.raw.p99Ms} ms | p50 ratio ${c.p50Ratio}`;
}

/** Runs `task(item)` over the items with a few requests in flight. */
async function inPool(items, workers, task) {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await task(item);
    }
  }));
}

export async function mentoring(ctx) {
  const { db, options, service, log } = ctx;
  const users = db.collection('users');
  const students = db.collection('students');
  const groups = db.collection('mentoringgroups');
  const activities = db.collection('mentoringactivities');
  const scratch = db.collection('bench_mentoringactivities');
  const start = ObjectId.createFromTime(Math.floor(Date.now() / 1000) - 1);
  const made = [];

  const counselor = await users.findOne({ username: 'counselor1' });
  const leader = await users.findOne({ username: 'collegeleader1' });
  if (!counselor?.college || !leader?.college) throw new Error('the demo’s counselor1 and collegeleader1 are missing');
  const [asCounselor, asLeader, asOfficer] = [
    await sessionClient(service.url, 'counselor1', DEMO_PASSWORD),
    await sessionClient(service.url, 'collegeleader1', DEMO_PASSWORD),
    await sessionClient(service.url, 'studentaffairs', DEMO_PASSWORD),
  ];
  const bounds = { seconds: options.seconds, iterations: options.iterations, warmup: options.warmup, concurrency: 1 };

  try {
    // ---- seeding: special students without a group, members from their college's teaching staff ----
    ctx.memory.mark('mentoring seeding');
    const claimed = new Set((await db.collection('mentoringstudentclaims').find({}).project({ _id: 1 }).toArray()).map((c) => String(c._id)));
    const special = (await students.find({ careTier: 'special' }).project({ _id: 1, college: 1, studentNo: 1 }).sort({ _id: 1 }).toArray()).filter((s) => !claimed.has(String(s._id)));
    const ofCollege = new Map();
    for (const s of special) {
      const key = String(s.college);
      if (!ofCollege.has(key)) ofCollege.set(key, []);
      ofCollege.get(key).push(s);
    }
    // The student counselor1 asks suggestions for: one of their college's, kept without a group.
    const mentee = ofCollege.get(String(counselor.college))?.shift();
    if (!mentee) throw new Error('no special student without a group in counselor1’s college');
    // Round robin over the colleges, so every college holds groups.
    const queues = [...ofCollege.values()];
    const chosen = [];
    for (let round = 0; chosen.length < GROUPS && queues.some((q) => q.length > round); round += 1) {
      for (const q of queues) if (q[round] && chosen.length < GROUPS) chosen.push(q[round]);
    }
    const staffOf = new Map();
    for (const college of new Set(chosen.map((s) => String(s.college)))) {
      const staff = await users.find({ college: new ObjectId(college), role: { $in: MENTOR_ROLES }, active: true }).project({ _id: 1 }).sort({ _id: 1 }).toArray();
      if (staff.length < GROUP_MAX) throw new Error(`college ${college}: ${staff.length} mentoring staff, too few for a group`);
      staffOf.set(college, staff);
    }
    const perCollege = new Map();
    const began = performance.now();
    await inPool(chosen, SEEDING_WORKERS, async (student) => {
      const staff = staffOf.get(String(student.college));
      const k = perCollege.get(String(student.college)) ?? 0;
      perCollege.set(String(student.college), k + 1);
      const size = 3 + (k % 3);
      const members = Array.from({ length: size }, (_, j) => ({
        user: String(staff[(k * 3 + j) % staff.length]._id),
        employment: j % 2 === 0 ? 'fullTime' : 'partTime',
        role: j === 0 ? 'leader' : 'member',
      }));
      const proposed = await asOfficer('POST', '/api/mentoring-groups', {
        student: String(student._id), members, needs: [{ area: 'studyInterest', note: '专业课学习兴趣不足' }, { area: 'practicalDifficulties' }], plan: '每两周面谈一次；协助申请助学金；毕业前跟进就业。',
      }, [201]);
      made.push(new ObjectId(proposed.id));
      await asOfficer('POST', `/api/mentoring-groups/${proposed.id}/approve`, undefined, [200]);
    });
    const seedingMs = performance.now() - began;
    const counselorGroups = await groups.find({ _id: { $in: made }, college: counselor.college, state: 'active' }).project({ _id: 1, college: 1 }).toArray();
    if (counselorGroups.length === 0) throw new Error('no active group in counselor1’s college');
    log(`  ${made.length} groups proposed and approved in ${(seedingMs / 1000).toFixed(1)} s (${counselorGroups.length} in counselor1’s college)`);

    // ---- suggestions ----
    ctx.memory.mark('mentoring suggestions');
    const staffFilter = { role: { $in: MENTOR_ROLES }, active: true, college: mentee.college };
    const rawSuggestions = await measure(bounds, async () => {
      const staff = await users.find(staffFilter).project({ displayName: 1, role: 1, college: 1, email: 1 }).limit(STAFF_BOUND).toArray();
      await groups.find({ 'members.user': { $in: staff.map((s) => s._id) }, state: { $in: OPEN_STATES } }).project({ 'members.user': 1 }).limit(STAFF_BOUND * GROUP_MAX).toArray();
    });
    let suggested;
    const oursSuggestions = await measure(bounds, async () => {
      suggested = await asCounselor('GET', `/api/mentoring-groups/suggestions?student=${mentee._id}`);
      if (!suggested.items?.length) throw new Error('no suggestions');
    });
    // Also read by the service (not in the baseline): the counselors of the student's major, for the same-major flag.
    const studentDoc = await students.findOne({ _id: mentee._id }, { projection: { college: 1, major: 1 } });
    const rawDistinct = await measure({ ...bounds, iterations: Math.min(bounds.iterations, 10) }, () => students.distinct('counselor', { college: studentDoc.college, major: studentDoc.major }));
    const suggestions = { url: `/api/mentoring-groups/suggestions?student=${mentee._id}`, ...compare(oursSuggestions, rawSuggestions), items: suggested?.items.length ?? null, rawCounselorsOfMajorDistinct: rawDistinct };

    // ---- the list ----
    ctx.memory.mark('mentoring list');
    const rawList = await measure(bounds, () => groups.find({ college: leader.college }).sort({ _id: -1 }).limit(50).toArray());
    let page;
    const oursList = await measure(bounds, async () => {
      page = await asLeader('GET', '/api/mentoring-groups?limit=50');
      if (!page.items?.length) throw new Error('empty page');
    });
    const rawCount = await measure({ ...bounds, iterations: Math.min(bounds.iterations, 10) }, () => groups.countDocuments({ college: leader.college }));
    const list = { url: '/api/mentoring-groups?limit=50', ...compare(oursList, rawList), rows: page?.items.length ?? null, total: page?.total ?? null, rawCount };

    // ---- logging activities ----
    const activity = (i) => ({ at: new Date(Date.now() - 3_600_000).toISOString(), kind: i % 2 ? 'call' : 'meeting', areas: ['studyInterest', 'mentalHealth'], summary: '面谈了解近期学习和生活情况，鼓励按时参加晚自习。', nextStep: '两周后再次面谈' });
    const logging = {};
    for (const concurrency of [1, 8]) {
      ctx.memory.mark(`mentoring activities c${concurrency}`);
      const raw = await measure({ ...bounds, concurrency }, async (i) => {
        const group = counselorGroups[Math.abs(i) % counselorGroups.length];
        const body = activity(i);
        const now = new Date();
        await scratch.insertOne({
          _id: new ObjectId(), group: group._id, college: group.college, at: new Date(body.at), kind: body.kind, areas: body.areas, summary: body.summary, nextStep: body.nextStep,
          by: counselor._id, byName: counselor.displayName, createdAt: now, updatedAt: now, __v: 0,
        });
      });
      const mine = await measure({ ...bounds, concurrency }, async (i) => {
        const group = counselorGroups[Math.abs(i) % counselorGroups.length];
        await asCounselor('POST', `/api/mentoring-groups/${group._id}/activities`, activity(i), [201]);
      });
      logging[`concurrency${concurrency}`] = compare(mine, raw);
    }

    // ---- the report ----
    ctx.memory.mark('mentoring report');
    const sample = await asOfficer('GET', '/api/mentoring-groups/report');
    const from = new Date(`${sample.from}T00:00:00+08:00`);
    const to = new Date(new Date(`${sample.to}T00:00:00+08:00`).getTime() + DAY);
    const within = (field) => ({ [field]: { $gte: from, $lt: to } });
    const byCollege = { $group: { _id: '$college', n: { $sum: 1 } } };
    const aggregations = () => {
      const silentSince = new Date(Date.now() - sample.inactiveWeeks * 7 * DAY);
      return Promise.all([
        groups.aggregate([{ $match: within('proposedAt') }, byCollege]).toArray(),
        groups.aggregate([{ $match: within('approvedAt') }, byCollege]).toArray(),
        groups.aggregate([{ $match: { ...within('closedAt'), state: 'closed' } }, { $group: { _id: { college: '$college', kind: '$outcome.kind' }, n: { $sum: 1 } } }]).toArray(),
        groups.aggregate([{ $match: { state: 'active' } }, byCollege]).toArray(),
        activities.aggregate([{ $match: within('at') }, byCollege]).toArray(),
        groups.aggregate([{ $match: { state: 'active', lastActivityAt: { $lt: silentSince } } }, byCollege]).toArray(),
      ]);
    };
    const rawReport = await measure(bounds, aggregations);
    let report;
    const oursReport = await measure(bounds, async () => {
      report = await asOfficer('GET', '/api/mentoring-groups/report');
    });
    const sums = (await aggregations()).map((rows) => rows.reduce((n, r) => n + r.n, 0));
    const figures = { proposed: sums[0], formed: sums[1], closed: sums[2], active: sums[3], activities: sums[4], inactive: sums[5] };
    const agrees = Object.entries(figures).every(([k, n]) => report?.totals?.[k] === n);
    const reportCase = { url: '/api/mentoring-groups/report', period: `${sample.from}..${sample.to}`, ...compare(oursReport, rawReport), totals: report?.totals ?? null, rawTotals: figures, agrees };

    return {
      about: 'mentoring groups for special students: suggestions (counselor1) vs the staff find + open groups of those staff; the list (collegeleader1, limit 50) vs find({college}).sort({_id:-1}).limit(50); logging an activity (counselor1) vs insertOne of the same document; the report (studentaffairs) vs its six $match+$group aggregations — all through the driver on the same database',
      groups: made.length,
      groupsInCounselorCollege: counselorGroups.length,
      seedingSeconds: Number((seedingMs / 1000).toFixed(1)),
      suggestions,
      list,
      activities: logging,
      report: reportCase,
      lines: [
        `mentoring: ${made.length} groups proposed + approved through the API in ${(seedingMs / 1000).toFixed(1)} s`,
        `${line('suggestions', suggestions, 'raw staff find + open groups')} | ${suggestions.items} suggested; raw distinct of the major's counselors p50 ${rawDistinct.p50Ms} ms`,
        `${line('list limit=50', list, 'raw find')} | ${list.rows} rows of ${list.total}; raw count p50 ${rawCount.p50Ms} ms`,
        ...Object.entries(logging).map(([k, c]) => `${line(`log activity ${k.replace('concurrency', 'c')}`, c, 'raw insertOne')} | ${c.ours.perSecond}/s vs ${c.raw.perSecond}/s`),
        `${line('report', reportCase, 'raw 6 aggregations')} | totals ${agrees ? 'agree' : 'DIFFER'}: ${JSON.stringify(figures)}`,
      ],
    };
  } finally {
    // Every group of this run (also one whose answer was lost), its activities, claims and audit entries.
    const found = await groups.find({ _id: { $gte: start } }).project({ _id: 1 }).toArray().catch(() => []);
    const ids = [...new Map([...made, ...found.map((g) => g._id)].map((id) => [String(id), id])).values()];
    await scratch.drop().catch(() => undefined);
    if (ids.length) {
      await activities.deleteMany({ group: { $in: ids } }).catch(() => undefined);
      await db.collection('mentoringgrouprevisions').deleteMany({ target: { $in: ids.map(String) } }).catch(() => undefined);
      await db.collection('mentoringstudentclaims').deleteMany({ group: { $in: ids } }).catch(() => undefined);
      await db.collection('mentoringinactivityclaims').deleteMany({ group: { $in: ids } }).catch(() => undefined);
      await groups.deleteMany({ _id: { $in: ids } }).catch(() => undefined);
    }
    await db.collection('auditentries').deleteMany({ _id: { $gte: start }, resourceType: { $in: ['mentoringGroup', 'mentoringActivity', 'mentoringGroupRevision', 'mentoringStudentClaim', 'mentoringInactivityClaim'] } }).catch(() => undefined);
  }
}
