// A contact-log submission through the Form.io API (validate, store the submission and the contact,
// audit, publish the event) against a bare insertOne of the same submission document into a scratch
// collection of the same database, at concurrency 1 and 8.
import { ObjectId } from 'mongodb';
import { compare, measure } from '../measure.mjs';

const TOPICS = ['conduct', 'grades', 'thinking', 'awardsPenalties', 'incident'];
export const SCRATCH = 'bench_scratch_inserts';

/** Form.io data of one contact with the i-th sample student (contacted long ago, so `lastContactAt` stays as seeded). */
export function contactData(student, i) {
  const contactedAt = new Date(Date.now() - (400 + (Math.abs(i) % 300)) * 86_400_000);
  return {
    studentNo: student.studentNo,
    studentName: student.name,
    guardianName: student.guardians?.[0]?.name ?? '家长',
    channel: ['phone', 'sms', 'online', 'homeVisit'][Math.abs(i) % 4],
    contactedAt: contactedAt.toISOString(),
    topics: Object.fromEntries(TOPICS.map((t, k) => [t, k === Math.abs(i) % TOPICS.length])),
    summary: '与家长电话沟通了学生本学期的出勤和学习情况，约定下月再次联系。',
    parentFeedback: '家长表示会督促学生按时上课，并希望学校及时反馈。',
    followUp: '',
  };
}

export async function contactSubmission(ctx) {
  const { api, db, options, school } = ctx;
  const form = await api('GET', '/form/contactLog');
  const owner = new ObjectId(school.apiKeyOwner);
  const submit = (i) => api('POST', '/form/contactLog/submission', { data: contactData(school.pick(i), i) }, [201]);
  const scratch = db.collection(SCRATCH);
  // What the service stores for the same submission (its `data`, envelope and timestamps).
  const rawInsert = (i) => {
    const now = new Date();
    return scratch.insertOne({
      _id: new ObjectId(), form: new ObjectId(form._id), formPath: 'contactLog', formVersion: form.version ?? 1, data: contactData(school.pick(i), i),
      sealed: {}, owner, state: 'submitted', metadata: {}, createdAt: now, updatedAt: now, __v: 0,
    });
  };
  const cases = {};
  for (const concurrency of [1, 8]) {
    const bounds = { seconds: options.seconds, iterations: options.iterations, warmup: options.warmup, concurrency };
    ctx.memory.mark(`contact-submission c${concurrency}`);
    const raw = await measure(bounds, rawInsert);
    const ours = await measure(bounds, submit);
    cases[`concurrency${concurrency}`] = compare(ours, raw);
  }
  await scratch.drop().catch(() => undefined);
  return {
    about: 'POST /form/contactLog/submission vs insertOne of the same submission document (scratch collection, same database, one connection like the service)',
    ...cases,
    lines: Object.entries(cases).map(([name, c]) =>
      `submission ${name.replace('concurrency', 'c=')}: ${c.ours.perSecond}/s p50 ${c.ours.p50Ms} ms p99 ${c.ours.p99Ms} ms (n=${c.ours.count}, errors ${c.ours.errors}) | raw insert ${c.raw.perSecond}/s p50 ${c.raw.p50Ms} ms | ratio ${c.throughputRatio}`),
  };
}
