// P2 (D6–D7): a visit report submitted with its photos, as the visitor's page does it — the content with
// four photos saved (PATCH /api/visit-reports/:id, the uploads claimed as its evidence) and the report
// submitted (POST …/submit: content and the evidence rule checked, the family contact recorded, the
// version kept, visitReport.submitted) — against a bare insert of the same submitted report document
// through the driver on the same database. Starting each report and uploading its photos is done before
// the clock runs. Everything written is removed afterwards.
import { randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { compare, measure, sessionClient } from '../measure.mjs';

const DEMO_PASSWORD = 'demo-password';
const PHOTOS = 4;

/** Today in Asia/Shanghai as `YYYY-MM-DD`, shifted by `days`. */
function shanghaiDay(days = 0) {
  const today = new Date(new Date().toLocaleDateString('sv', { timeZone: 'Asia/Shanghai' }));
  return new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

const CONTENT = (visitedOn) => ({
  visitedOn, place: '学生家中', metWith: '学生父亲', orientations: ['policy', 'study', 'growth'],
  familyState: '父母务农，家中四口人，经济一般。', emotionalState: '情绪稳定', studyState: '学习认真，部分课程偏弱。', personality: '内向、踏实',
  safetyEducation: ['travel', 'internet'], aidPolicies: ['grant', 'loan'],
  account: '辅导员到学生家中，与家长交流学生在校表现、假期安排和资助政策，了解家庭近况和学生的成长环境。'.repeat(3),
  reflections: '家校沟通让我们更了解学生的成长环境，今后将更有针对性地开展工作。', parentOpinion: '希望学校多关注孩子的学业。',
  followUp: { needed: true, needs: '开学后安排学业辅导' },
});

async function upload(service, session) {
  const form = new FormData();
  form.append('file', new Blob([Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(30_000)])]), 'IMG.jpg');
  const response = await fetch(`${service.url}/api/files`, { method: 'POST', headers: session.headers, body: form });
  if (response.status !== 201) throw new Error(`upload → ${response.status}`);
  return (await response.json()).id;
}

export async function visitReportSubmission(ctx) {
  const { db, options, service } = ctx;
  const counselor = await db.collection('users').findOne({ role: 'counselor', active: true, college: { $ne: null } });
  const college = await db.collection('colleges').findOne({ _id: counselor.college });
  const officer = await sessionClient(service.url, 'studentaffairs', DEMO_PASSWORD);
  const visitor = await sessionClient(service.url, counselor.username, DEMO_PASSWORD);
  const count = Math.min(options.iterations, options.quick ? 20 : 60) + 1;
  const roster = await db.collection('students').find({ college: college._id }).project({ studentNo: 1, name: 1, grade: 1, major: 1, className: 1 }).sort({ _id: 1 }).limit(count).toArray();

  const created = await officer('POST', '/api/visit-campaigns', {
    title: '寒假家访（报告提交基准测试）', break: 'winter', visitStartsOn: shanghaiDay(-5), visitEndsOn: shanghaiDay(20), planDueAt: `${shanghaiDay(1)} 12:00`, colleges: [college.code],
  }, [201]);
  const startedAt = new Date();
  const campaign = new ObjectId(created.id);
  const planKey = `${created.id}:${college._id}`;
  const rawIds = [];
  try {
    await officer('POST', `/api/visit-campaigns/${created.id}/open`);
    const now = new Date();
    const entries = roster.map((s) => ({
      id: String(new ObjectId()), student: s._id, studentNo: s.studentNo, studentName: s.name, grade: s.grade, major: s.major, className: s.className ?? '',
      targetType: 'current', mode: 'onsite', kind: 'general', visitors: [{ user: counselor._id, name: counselor.displayName, role: 'counselor' }], leaderVisit: false, note: '',
    }));
    const implementation = { organization: '学院统一部署', schedule: '寒假期间分批开展', safety: '出行前报备，结伴出行', other: '' };
    await db.collection('visitplans').insertOne({
      _id: planKey, campaign, college: college._id, state: 'approved', revision: 4, step: 0, entries, implementation, approvals: [],
      approved: { revision: 4, at: now, entries, implementation, approvals: [] }, lastReturn: null, firstSubmittedAt: now, submittedAt: now, createdBy: counselor._id, createdAt: now, updatedAt: now, __v: 0,
    });

    // Before the clock: each report started and its photos uploaded, as the visitor does on the way.
    const drafts = [];
    for (const entry of entries) {
      const report = await visitor('POST', '/api/visit-reports', { campaign: created.id, college: college.code, entryId: entry.id }, [201]);
      const photos = [];
      for (let p = 0; p < PHOTOS; p += 1) photos.push(await upload(service, visitor));
      drafts.push({ id: report.id, revision: report.revision, photos });
    }
    const body = CONTENT(shanghaiDay(-1));
    let next = 0;
    const bounds = { seconds: options.seconds, iterations: count - 1, warmup: 1, concurrency: 1 };
    ctx.memory.mark('visit-report-submission');
    const ours = await measure(bounds, async () => {
      const draft = drafts[next++];
      if (!draft) throw new Error('no draft left');
      const route = `/api/visit-reports/${encodeURIComponent(draft.id)}`;
      const saved = await visitor('PATCH', route, { ...body, photos: draft.photos });
      const submitted = await visitor('POST', `${route}/submit`, undefined);
      if (submitted.state !== 'submitted' || submitted.version !== 1 || saved.photos.length !== PHOTOS) throw new Error(`report ${draft.id} not submitted`);
    });
    // The same document, as the service stores it once submitted, inserted bare.
    const stored = await db.collection('visitreports').findOne({ _id: drafts[0].id });
    const raw = await measure(bounds, async () => {
      const _id = `${created.id}:${college._id}:raw-${new ObjectId()}`;
      rawIds.push(_id);
      await db.collection('visitreports').insertOne({ ...stored, _id, fileKey: new ObjectId(), contactId: new ObjectId() });
    });
    const ratio = compare(ours, raw);
    return {
      about: `a counselor saves a report's content with ${PHOTOS} photos and submits it (two requests), vs a bare insert of the same submitted report document`,
      college: college.code, photos: PHOTOS, submission: ratio,
      lines: [
        `visit report with ${PHOTOS} photos, save + submit: ${ours.perSecond}/s, p50 ${ours.p50Ms} ms (n=${ours.count}, errors ${ours.errors}${ours.firstError ? `: ${ours.firstError}` : ''}) | bare insert ${raw.perSecond}/s, p50 ${raw.p50Ms} ms | ratio ${ratio.throughputRatio} (P2: ≥ 0.5)`,
      ],
    };
  } finally {
    const prefix = new RegExp(`^${created.id}:`);
    const reports = await db.collection('visitreports').find({ _id: prefix }).project({ contactId: 1 }).toArray();
    await Promise.all([
      db.collection('visitcampaigns').deleteOne({ _id: campaign }),
      db.collection('visitplans').deleteMany({ _id: prefix }),
      db.collection('visitreports').deleteMany({ _id: prefix }),
      db.collection('visitreportversions').deleteMany({ _id: prefix }),
      db.collection('visitreportrevisions').deleteMany({ _id: prefix }),
      db.collection('contacts').deleteMany({ _id: { $in: reports.map((r) => r.contactId) } }),
      db.collection('campaignmilestones').deleteMany({ _id: prefix }),
      db.collection('storedfiles').deleteMany({ owner: counselor._id, createdAt: { $gte: startedAt } }),
    ]).catch(() => undefined);
  }
}
