import mongoose, { type Types } from 'mongoose';
import { launchedLetter, sendAllLetters, tokenOf } from '../support/letter-campaign';
import { seedArchives } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * Reaching the families who did not read the term letter (issue #14, B6 §5) over real HTTP on the real
 * database: reminders only after `reminderAfterDays`, each family handed out once however many senders ask
 * at the same time, the counselor's call list in their scope, and a call logged as a B1 contact.
 */

let t: TestService;
let A: Types.ObjectId;
let officer: Credentials;
let counselorA: Credentials;
let counselorA2: Credentials;
let teacherA: Credentials;

const FAMILIES = 150;
const letters = () => mongoose.connection.collection('familyletters');
const contacts = () => mongoose.connection.collection('contacts');

interface ReminderItem {
  letter: string;
  channel: string;
  to: string[];
  link: string;
  text: string;
}

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A');
  officer = await t.staff('studentAffairs');
  counselorA = await t.staff('counselor', A);
  counselorA2 = await t.staff('counselor', A);
  teacherA = await t.staff('teacher', A);
  // 150 families with a phone of their own; students 0–74 are counselorA's, the rest counselorA2's; 3 and 100 are special students.
  await seedArchives(A, 'RA', FAMILIES, (i) => ({
    counselor: i < 75 ? counselorA.userId : counselorA2.userId,
    careTier: i === 3 || i === 100 ? 'special' : 'general',
    guardians: [{ name: `家长${i}`, relation: '母亲', phone: `1360000${String(i).padStart(4, '0')}` }],
  }));
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('reaching families who did not read the term letter (B6 §5)', () => {
  let campaign: string;
  let outbox: Map<string, { link: string }>;

  it('B6: no reminder before reminderAfterDays have passed since sending', async () => {
    const launched = await launchedLetter(t, officer, { reminderAfterDays: 3 });
    campaign = launched.id;
    expect(launched.progress.families).toBe(FAMILIES);
    outbox = await sendAllLetters(t, officer, campaign);
    expect(outbox.size).toBe(FAMILIES);
    const early = await t.request('POST', `/api/letter-campaigns/${campaign}/reminders`, { as: officer });
    expect(early.status).toBe(200);
    expect(early.body.items).toEqual([]);
    expect((await t.request('POST', `/api/letter-campaigns/${campaign}/reminders`, { as: counselorA })).status).toBe(403);
  });

  it('B6: parallel reminder calls hand every unread family out exactly once, at most 100 a call, with its link and an SMS text', async () => {
    // The reminder clock: the letters were "sent" four days ago. Writing delivery.sentAt back is the only
    // way to let three days pass in a test; the service reads nothing else to decide a reminder is due.
    const cid = new mongoose.Types.ObjectId(campaign);
    await letters().updateMany({ campaign: cid }, { $set: { 'delivery.sentAt': new Date(Date.now() - 4 * 24 * 3600_000) } });
    // Two families read the letter (what the parent's page records on the first open).
    const [read1, read2] = [...outbox.keys()].sort().slice(0, 2);
    await letters().updateMany({ _id: { $in: [read1, read2] } as never }, { $set: { openedAt: new Date() } });

    const calls = await Promise.all(Array.from({ length: 4 }, () => t.request('POST', `/api/letter-campaigns/${campaign}/reminders`, { as: officer })));
    for (const call of calls) {
      expect(call.status).toBe(200);
      expect(call.body.items.length).toBeLessThanOrEqual(100);
    }
    const handed = calls.flatMap((c) => c.body.items as ReminderItem[]);
    const ids = handed.map((i) => i.letter);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(FAMILIES - 2);
    expect(ids).not.toContain(read1);
    expect(ids).not.toContain(read2);
    const sample = handed[0]!;
    expect(sample.channel).toBe('sms');
    expect(sample.to).toHaveLength(1);
    expect(tokenOf(sample.link)).toBe(tokenOf(outbox.get(sample.letter)!.link));
    expect(sample.text).toContain('您还没有阅读');
    expect(sample.text).toContain(sample.link);
    expect(await letters().countDocuments({ campaign: cid, remindedAt: { $ne: null } })).toBe(FAMILIES - 2);

    const again = await t.request('POST', `/api/letter-campaigns/${campaign}/reminders`, { as: officer });
    expect(again.body.items).toEqual([]);
  });

  it('B6: a counselor’s call list holds only their reminded, still unread families and their special students’ families', async () => {
    const cid = new mongoose.Types.ObjectId(campaign);
    // One of counselorA's reminded families opens the letter after the reminder: it leaves the list.
    const mine = await letters().find({ campaign: cid, counselor: counselorA.userId, openedAt: null, personalCall: false }).sort({ _id: 1 }).limit(1).toArray();
    await letters().updateOne({ _id: mine[0]!._id }, { $set: { openedAt: new Date() } });

    const list = await t.request('GET', `/api/family-letters/calls?campaign=${campaign}&limit=500`, { as: counselorA });
    expect(list.status).toBe(200);
    const expected = await letters().countDocuments({ campaign: cid, counselor: counselorA.userId, $or: [{ openedAt: null }, { personalCall: true }] });
    expect(list.body.total).toBe(expected);
    expect(list.body.items).toHaveLength(expected);
    expect(list.body.items.every((l: { counselor: string }) => l.counselor === String(counselorA.userId))).toBe(true);
    expect(list.body.items.map((l: { id: string }) => l.id)).not.toContain(mine[0]!._id);
    const special = list.body.items.filter((l: { personalCall: boolean }) => l.personalCall);
    expect(special).toHaveLength(1);
    expect(list.body.items[0].phones).toHaveLength(1);

    const other = await t.request('GET', `/api/family-letters/calls?campaign=${campaign}&limit=500`, { as: counselorA2 });
    expect(other.body.items.every((l: { counselor: string }) => l.counselor === String(counselorA2.userId))).toBe(true);
    expect(other.body.items.length).toBeGreaterThan(0);
    const teacher = await t.request('GET', `/api/family-letters/calls?campaign=${campaign}`, { as: teacherA });
    expect(teacher.body.items).toEqual([]);
    const officers = await t.request('GET', `/api/family-letters/calls?campaign=${campaign}&limit=500`, { as: officer });
    expect(officers.body.total).toBe(list.body.total + other.body.total);
  });

  it('B6: a call is logged as a contact with the family’s first student and takes the family off the list', async () => {
    const list = await t.request('GET', `/api/family-letters/calls?campaign=${campaign}&limit=500`, { as: counselorA });
    const family = list.body.items[0] as { id: string; students: string[] };
    const bad = await t.request('POST', `/api/family-letters/${family.id}/call`, { as: counselorA, body: { outcome: 'maybe' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(['outcome']);

    const foreign = (await t.request('GET', `/api/family-letters/calls?campaign=${campaign}&limit=1`, { as: counselorA2 })).body.items[0] as { id: string };
    expect((await t.request('POST', `/api/family-letters/${foreign.id}/call`, { as: counselorA, body: { outcome: 'reached' } })).status).toBe(404);

    const called = await t.request('POST', `/api/family-letters/${family.id}/call`, { as: counselorA, body: { outcome: 'reached', note: '家长已阅读，表示支持学校工作' } });
    expect(called.status).toBe(200);
    expect(called.body.outcome).toBe('reached');
    const contact = await contacts().findOne({ _id: new mongoose.Types.ObjectId(called.body.contact.id) });
    expect(contact).toMatchObject({ channel: 'phone', parentFeedback: '家长已阅读，表示支持学校工作', owner: counselorA.userId });
    expect(String(contact!.student)).toBe(family.students[0]);
    expect(contact!.guardianName).toMatch(/^家长\d+$/);
    expect(contact!.summary).toContain('致家长的一封信');
    const letter = await letters().findOne({ _id: family.id as never });
    expect(letter!.calledAt).toBeInstanceOf(Date);

    const after = await t.request('GET', `/api/family-letters/calls?campaign=${campaign}&limit=500`, { as: counselorA });
    expect(after.body.total).toBe(list.body.total - 1);
    expect(after.body.items.map((l: { id: string }) => l.id)).not.toContain(family.id);
  });
});
