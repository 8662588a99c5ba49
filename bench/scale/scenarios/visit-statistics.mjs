// P3 (D10): the visit statistics of the largest college (10,000 students in the 40,000 school) with 2,000
// submitted visit reports, read as student affairs does (GET …/statistics?college=, and the XLSX), against
// one raw aggregation over the same reports through the driver on the same database (the college's
// reports grouped by mode). The reports and the approved plan are written straight into the database in
// the shape of the service's models, and removed afterwards.
import { ObjectId } from 'mongodb';
import { compare, measure, sessionClient } from '../measure.mjs';

const DEMO_PASSWORD = 'demo-password';
const REPORTS = 2_000;
/** Of them outside the plan; the plan also holds visits without a report (planned but not visited). */
const UNPLANNED = 100;
const NOT_VISITED = 100;
const MODES = ['onsite', 'video', 'phone'];
const KINDS = ['general', 'followUp', 'scheduled'];
const TARGETS = ['current', 'current', 'current', 'hardship', 'typical', 'graduate', 'loanOverdue'];
const ROLES = ['counselor', 'academicMentor', 'growthMentor', 'other'];

async function largestCollege(db) {
  const [top] = await db.collection('students').aggregate([{ $group: { _id: '$college', students: { $sum: 1 } } }, { $sort: { students: -1 } }, { $limit: 1 }]).toArray();
  return { college: await db.collection('colleges').findOne({ _id: top._id }), students: top.students };
}

/** A report as the service stores a submitted one: the visit's facts, the content, evidence ids. */
function reportDoc({ campaign, college, student, entryId, i, visitors, by, now }) {
  const day = new Date(Date.UTC(now.getUTCFullYear(), 0, 20));
  return {
    _id: `${campaign}:${college._id}:${entryId ?? `unplanned-${student._id}`}`,
    campaign, college: college._id, entryId: entryId ?? null, unplanned: !entryId, reason: entryId ? '' : '家长来电，临时家访',
    student: student._id, studentNo: student.studentNo, studentName: student.name, grade: student.grade, major: student.major, className: student.className ?? '',
    targetType: TARGETS[i % TARGETS.length], mode: MODES[i % 3], kind: KINDS[(i >> 1) % 3], visitors, leaderVisit: false, plannedOn: day,
    state: 'submitted', revision: 3, version: 1,
    content: {
      visitedOn: day, place: '学生家中', metWith: '学生父亲', orientations: ['policy', 'study', 'growth'], familyState: '父母务农，家中四口人，经济一般。', emotionalState: '情绪稳定',
      studyState: '学习认真，部分课程偏弱。', personality: '内向、踏实', safetyEducation: ['travel', 'internet'], aidPolicies: ['grant', 'loan'], graduateDevelopment: '', loan: null,
      account: '辅导员与学业导师到学生家中，与家长交流学生在校表现、假期安排和资助政策，了解家庭近况和学生的成长环境。'.repeat(3),
      reflections: '家校沟通让我们更了解学生的成长环境，今后将更有针对性地开展工作。', parentOpinion: '希望学校多关注孩子的学业。', followUp: { needed: i % 5 === 0, needs: i % 5 === 0 ? '开学后安排学业辅导' : '' },
    },
    sealed: {}, photos: Array.from({ length: 4 }, () => String(new ObjectId())), media: [], fileKey: new ObjectId(), contactId: new ObjectId(), createdBy: by._id,
    submittedAt: now, submittedBy: { user: by._id, username: by.username, displayName: by.displayName }, createdAt: now, updatedAt: now, __v: 0,
  };
}

export async function visitStatistics(ctx) {
  const { db, options, service } = ctx;
  const { college, students } = await largestCollege(db);
  const staff = await db.collection('users').find({ college: college._id, role: { $in: ['counselor', 'academicMentor', 'growthMentor', 'teacher'] } }).project({ username: 1, displayName: 1, role: 1 }).limit(40).toArray();
  const counselors = staff.filter((s) => s.role === 'counselor');
  if (!counselors.length) throw new Error(`no counselor in college ${college.code}`);
  const officer = await sessionClient(service.url, 'studentaffairs', DEMO_PASSWORD);
  const roster = await db.collection('students').find({ college: college._id }).project({ studentNo: 1, name: 1, grade: 1, major: 1, className: 1 }).sort({ _id: 1 }).limit(REPORTS + NOT_VISITED).toArray();
  if (roster.length < REPORTS + NOT_VISITED) throw new Error(`college ${college.code} has ${roster.length} students, ${REPORTS + NOT_VISITED} needed`);

  const year = new Date().getFullYear() + 1;
  const created = await officer('POST', '/api/visit-campaigns', {
    title: `${year}年寒假家访（统计基准测试）`, break: 'winter', visitStartsOn: `${year}-01-15`, visitEndsOn: `${year}-02-20`, planDueAt: `${year}-01-10 12:00`, colleges: [college.code],
  }, [201]);
  const campaign = new ObjectId(created.id);
  const planKey = `${created.id}:${college._id}`;
  try {
    await officer('POST', `/api/visit-campaigns/${created.id}/open`);
    const now = new Date();
    const visitorOf = (i) => {
      const lead = counselors[i % counselors.length];
      const group = [{ user: lead._id, name: lead.displayName, role: 'counselor' }];
      // Every fourth visit is a group visit with two more of the college's staff.
      if (i % 4 === 0) for (const s of [staff[(i + 1) % staff.length], staff[(i + 2) % staff.length]]) group.push({ user: s._id, name: s.displayName, role: ROLES.includes(s.role) ? s.role : 'other' });
      return group;
    };
    const planned = roster.slice(0, REPORTS - UNPLANNED + NOT_VISITED);
    const entries = planned.map((s, i) => ({
      id: String(new ObjectId()), student: s._id, studentNo: s.studentNo, studentName: s.name, grade: s.grade, major: s.major, className: s.className ?? '',
      targetType: TARGETS[i % TARGETS.length], mode: MODES[i % 3], kind: KINDS[(i >> 1) % 3], visitors: visitorOf(i), leaderVisit: false, note: '',
    }));
    const implementation = { organization: '学院统一部署', schedule: '寒假期间分批开展', safety: '出行前报备，结伴出行', other: '' };
    await db.collection('visitplans').insertOne({
      _id: planKey, campaign, college: college._id, state: 'approved', revision: 4, step: 0, entries, implementation, approvals: [],
      approved: { revision: 4, at: now, entries, implementation, approvals: [] }, lastReturn: null, firstSubmittedAt: now, submittedAt: now, createdBy: counselors[0]._id, createdAt: now, updatedAt: now, __v: 0,
    });
    const reports = [
      ...entries.slice(0, REPORTS - UNPLANNED).map((e, i) => reportDoc({ campaign, college, student: roster[i], entryId: e.id, i, visitors: e.visitors, by: counselors[i % counselors.length], now })),
      ...roster.slice(planned.length, planned.length + UNPLANNED).map((s, k) => reportDoc({ campaign, college, student: s, i: k, visitors: visitorOf(k), by: counselors[k % counselors.length], now })),
    ];
    for (let i = 0; i < reports.length; i += 500) await db.collection('visitreports').insertMany(reports.slice(i, i + 500), { ordered: false });

    const route = `/api/visit-campaigns/${created.id}/statistics?college=${encodeURIComponent(college.code)}`;
    const check = (s) => {
      if (s.totals.visits !== REPORTS || s.planned.notVisited !== NOT_VISITED || s.totals.unplanned !== UNPLANNED) throw new Error(`figures ${s.totals.visits}/${s.planned.notVisited}/${s.totals.unplanned}`);
    };
    // The first read after start also counts the college's enrolment (the kept counts, recounted at most once a minute).
    const firstStarted = performance.now();
    check(await officer('GET', route));
    const firstMs = Math.round(performance.now() - firstStarted);

    const bounds = { seconds: options.seconds, iterations: Math.min(options.iterations, 30), warmup: 1, concurrency: 1 };
    ctx.memory.mark('visit-statistics');
    const raw = await measure(bounds, async () => {
      const groups = await db.collection('visitreports').aggregate([{ $match: { campaign, college: college._id } }, { $group: { _id: '$mode', visits: { $sum: 1 } } }]).toArray();
      if (groups.reduce((n, g) => n + g.visits, 0) !== REPORTS) throw new Error('raw aggregation miscounted');
    });
    const json = await measure(bounds, async () => check(await officer('GET', route)));
    const xlsxRoute = route.replace('/statistics?', '/statistics.xlsx?');
    const xlsx = await measure(bounds, async () => {
      const response = await fetch(service.url + xlsxRoute, { headers: officer.headers });
      const body = await response.arrayBuffer();
      if (response.status !== 200 || body.byteLength < 1000) throw new Error(`xlsx → ${response.status}`);
    });
    const statistics = compare(json, raw);
    const workbook = compare(xlsx, raw);
    return {
      about: `student affairs reads the visit statistics (JSON, XLSX) of college ${college.code} (${students} students, ${REPORTS} submitted reports, ${UNPLANNED} of them unplanned, ${NOT_VISITED} planned visits without a report) vs one raw aggregation of the same reports (grouped by mode)`,
      college: college.code, students, reports: REPORTS, firstMs, statistics, workbook,
      lines: [
        `statistics of ${college.code} (${students.toLocaleString('en')} students, ${REPORTS.toLocaleString('en')} reports): JSON p50 ${json.p50Ms} ms (n=${json.count}, errors ${json.errors}), XLSX p50 ${xlsx.p50Ms} ms, first read ${firstMs} ms | raw aggregation p50 ${raw.p50Ms} ms | JSON/raw ${statistics.p50Ratio}, XLSX/raw ${workbook.p50Ratio} (P3: ≤ 2)`,
      ],
    };
  } finally {
    const prefix = new RegExp(`^${created.id}:`);
    await Promise.all([
      db.collection('visitcampaigns').deleteOne({ _id: campaign }),
      db.collection('visitplans').deleteMany({ _id: prefix }),
      db.collection('visitplanrevisions').deleteMany({ _id: prefix }),
      db.collection('visitreports').deleteMany({ _id: prefix }),
      db.collection('campaignmilestones').deleteMany({ _id: prefix }),
    ]).catch(() => undefined);
  }
}
