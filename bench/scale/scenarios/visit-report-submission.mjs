// P2 (D6–D7): a visit report submitted with its photos, as the visitor's page does it — the four photos
// uploaded (POST /api/files), the content saved with them (PATCH /api/visit-reports/:id, the uploads
// claimed as its evidence) and the report submitted (POST …/submit: content and the evidence rule
// checked, the family contact recorded, the version kept, visitReport.submitted) — against a bare insert
// of the same document, the submitted report with its photos inside, through the driver on the same
// database. A second case leaves the uploads out of both sides: save + submit of a report whose photos
// were uploaded before the clock, against a bare insert of the report without its photos. Photos are
// HSB_BENCH_PHOTO_KB kilobytes each. Starting each report is done before the clock runs. Everything
// written is removed afterwards.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Binary, ObjectId } from 'mongodb';
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

/** A JPEG-signed photo of `bytes` (random, so no two are the same picture). */
function photo(bytes) {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(bytes - 4)]);
}

async function upload(service, session, content) {
  const form = new FormData();
  form.append('file', new Blob([content]), 'IMG.jpg');
  const response = await fetch(`${service.url}/api/files`, { method: 'POST', headers: session.headers, body: form });
  if (response.status !== 201) throw new Error(`upload → ${response.status}`);
  return (await response.json()).id;
}

/** The uploads the run made: their bytes (GridFS or the upload folder) and their records. */
async function removeUploads(db, options, filter) {
  const files = await db.collection('storedfiles').find(filter).project({ storage: 1, location: 1 }).toArray();
  const gridfs = files.filter((f) => f.storage === 'gridfs').map((f) => new ObjectId(f.location));
  for (let i = 0; i < gridfs.length; i += 500) {
    const part = gridfs.slice(i, i + 500);
    await db.collection('uploads.chunks').deleteMany({ files_id: { $in: part } });
    await db.collection('uploads.files').deleteMany({ _id: { $in: part } });
  }
  for (const f of files.filter((f) => f.storage === 'folder')) await rm(path.join(options.dataDir, 'uploads', path.basename(f.location)), { force: true });
  await db.collection('storedfiles').deleteMany(filter);
}

export async function visitReportSubmission(ctx) {
  const { db, options, service } = ctx;
  const counselor = await db.collection('users').findOne({ role: 'counselor', active: true, college: { $ne: null } });
  const college = await db.collection('colleges').findOne({ _id: counselor.college });
  const officer = await sessionClient(service.url, 'studentaffairs', DEMO_PASSWORD);
  const visitor = await sessionClient(service.url, counselor.username, DEMO_PASSWORD);
  const count = 2 * (Math.min(options.iterations, options.quick ? 20 : 60) + 1);
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

    // Before the clock: each report started; for the second case also its photos uploaded.
    const half = Math.ceil(entries.length / 2);
    const drafts = [];
    for (const [i, entry] of entries.entries()) {
      const report = await visitor('POST', '/api/visit-reports', { campaign: created.id, college: college.code, entryId: entry.id }, [201]);
      const photos = [];
      if (i >= half) for (let p = 0; p < PHOTOS; p += 1) photos.push(await upload(service, visitor, photo(options.photoBytes)));
      drafts.push({ id: report.id, photos });
    }
    const withUploads = drafts.slice(0, half);
    const uploaded = drafts.slice(half);
    const body = CONTENT(shanghaiDay(-1));
    const saveAndSubmit = async (draft, photos) => {
      const route = `/api/visit-reports/${encodeURIComponent(draft.id)}`;
      const saved = await visitor('PATCH', route, { ...body, photos });
      const submitted = await visitor('POST', `${route}/submit`, undefined);
      if (submitted.state !== 'submitted' || submitted.version !== 1 || saved.photos.length !== PHOTOS) throw new Error(`report ${draft.id} not submitted`);
    };
    const bounds = (count) => ({ seconds: options.seconds, iterations: count - 1, warmup: 1, concurrency: 1 });

    ctx.memory.mark('visit-report-submission');
    let next = 0;
    const ours = await measure(bounds(withUploads.length), async () => {
      const draft = withUploads[next++];
      if (!draft) throw new Error('no draft left');
      const photos = [];
      for (let p = 0; p < PHOTOS; p += 1) photos.push(await upload(service, visitor, photo(options.photoBytes)));
      await saveAndSubmit(draft, photos);
    });
    next = 0;
    const oursContent = await measure(bounds(uploaded.length), async () => {
      const draft = uploaded[next++];
      if (!draft) throw new Error('no draft left');
      await saveAndSubmit(draft, draft.photos);
    });

    // The same document, as the service stores it once submitted, inserted bare: with its photos inside, and without.
    const stored = await db.collection('visitreports').findOne({ _id: drafts[0].id });
    const rawInsert = (withPhotos) => async () => {
      const _id = `${created.id}:${college._id}:raw-${new ObjectId()}`;
      rawIds.push(_id);
      const evidence = withPhotos ? { photos: Array.from({ length: PHOTOS }, () => new Binary(photo(options.photoBytes))) } : {};
      await db.collection('visitreports').insertOne({ ...stored, _id, fileKey: new ObjectId(), contactId: new ObjectId(), ...evidence });
    };
    const raw = await measure(bounds(withUploads.length), rawInsert(true));
    const rawContent = await measure(bounds(uploaded.length), rawInsert(false));
    const submission = compare(ours, raw);
    const contentOnly = compare(oursContent, rawContent);
    const kb = Math.round(options.photoBytes / 1024);
    const line = (name, c, rawName) =>
      `${name}: ${c.ours.perSecond}/s, p50 ${c.ours.p50Ms} ms (n=${c.ours.count}, errors ${c.ours.errors}${c.ours.firstError ? `: ${c.ours.firstError}` : ''}) | ${rawName} ${c.raw.perSecond}/s, p50 ${c.raw.p50Ms} ms | ratio ${c.throughputRatio}`;
    return {
      about: `a counselor uploads ${PHOTOS} photos of ${kb} KB, saves the report's content with them and submits it (six requests), vs a bare insert of the same submitted report with its photos inside; and, uploads left out of both, save + submit vs a bare insert of the report alone`,
      college: college.code, photos: PHOTOS, photoKb: kb, submission, contentOnly,
      lines: [
        `${line(`visit report with ${PHOTOS} photos of ${kb} KB, upload + save + submit`, submission, 'bare insert of the report with its photos')} (P2: ≥ 0.5)`,
        line('  uploads left out: save + submit', contentOnly, 'bare insert of the report alone'),
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
    ]).catch(() => undefined);
    await removeUploads(db, options, { owner: counselor._id, createdAt: { $gte: startedAt } }).catch(() => undefined);
  }
}
