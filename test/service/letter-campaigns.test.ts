import mongoose, { type Types } from 'mongoose';
import { draftLetter, LETTER_HTML, letterDeadline, lettersCreated, sendAllLetters, tokenOf } from '../support/letter-campaign';
import { seedArchives } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * Term-letter campaigns (issue #14, B6 §1–§2, §5) over real HTTP on the real database: writing and aiming
 * a letter, a college's section, the family rule, one letter per family however often and however
 * concurrently it is launched, the outbox handing each batch out once, outcomes opening the campaign,
 * revoking a link, and who sees which families' letters.
 */

let t: TestService;
let A: Types.ObjectId;
let B: Types.ObjectId;
let officer: Credentials;
let leaderA: Credentials;
let counselorA: Credentials;
let counselorA2: Credentials;
let teacherA: Credentials;

const letters = () => mongoose.connection.collection('familyletters');

beforeAll(async () => {
  t = await startTestService();
  A = await t.college('A');
  B = await t.college('B');
  officer = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', A);
  counselorA = await t.staff('counselor', A);
  counselorA2 = await t.staff('counselor', A);
  teacherA = await t.staff('teacher', A);
  // College A, 30 students: 0–9 are five pairs of siblings sharing a guardian's phone (written differently),
  // 10–14 have no phone (printed letters), 15–29 a phone of their own; 20 is a special student.
  // Students 0–14 are counselorA's, the rest counselorA2's.
  await seedArchives(A, 'LA', 30, (i) => ({
    counselor: i < 15 ? counselorA.userId : counselorA2.userId,
    careTier: i === 20 ? 'special' : 'general',
    guardians: i >= 10 && i < 15 ? [] : [{ name: '家长', relation: '父亲', phone: i < 10 ? (i % 2 ? `+86 1390000${String(i - 1).padStart(4, '0')}` : `1390000${String(i).padStart(4, '0')}`) : `1380000${String(i).padStart(4, '0')}` }],
  }));
  // College B, 10 students, grade 2023; student 0 shares a phone with A's student 15 (one family across colleges).
  await seedArchives(B, 'LB', 10, (i) => ({ grade: '2023', guardians: [{ name: '家长', relation: '母亲', phone: i === 0 ? '13800000015' : `1370000${String(i).padStart(4, '0')}` }] }));
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('term-letter campaigns (B6)', () => {
  it('B6: a letter is checked field by field, in Chinese and English, and its rich text is cleaned', async () => {
    const bad = await t.request('POST', '/api/letter-campaigns', { as: officer, body: { title: '信', term: 'autumn', html: '<p>x</p>', feedbackDueAt: '明天', audience: { colleges: ['Z'] }, channels: ['sms', 'sms'] } });
    expect(bad.status).toBe(400);
    const paths = bad.body.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['audience.colleges[0]', 'channels', 'feedbackDueAt']);
    expect(bad.body.details.every((d: { message: string; messageEn: string }) => d.message && d.messageEn)).toBe(true);

    const cleaned = await draftLetter(t, officer, { html: '<p onclick="x()">您好<script>alert(1)</script><img src="https://evil.example/a.png"><img src="/api/files/0123456789abcdef01234567"></p>' });
    expect(cleaned.html).toBe('<p>您好<img src="/api/files/0123456789abcdef01234567" /></p>');
    expect((await t.request('POST', '/api/letter-campaigns', { as: counselorA, body: { title: '信', term: 'autumn', html: LETTER_HTML, feedbackDueAt: letterDeadline(5) } })).status).toBe(403);
  });

  it('B6: a college leader writes their college’s section, only for their college, and the preview shows it', async () => {
    const draft = await draftLetter(t, officer);
    const route = (college: string) => `/api/letter-campaigns/${draft.id}/colleges/${college}/section`;
    const own = await t.request('PUT', route('A'), { as: leaderA, body: { html: '<p>A 学院：本学期新增实验室。</p>' }, headers: { 'If-Match': `"${draft.revision}"` } });
    expect(own.status).toBe(200);
    expect((await t.request('PUT', route('B'), { as: leaderA, body: { html: '<p>越权</p>' } })).status).toBe(404);
    expect((await t.request('PUT', route('A'), { as: leaderA, body: { html: '<p>旧版本</p>' }, headers: { 'If-Match': `"${draft.revision}"` } })).status).toBe(409);
    const previewA = await t.request('GET', `/api/letter-campaigns/${draft.id}/preview?college=A`, { as: leaderA });
    expect(previewA.body.html).toContain('本学期新增实验室');
    expect(previewA.body.html).toContain('本学期学校在教学');
    const previewB = await t.request('GET', `/api/letter-campaigns/${draft.id}/preview?college=B`, { as: officer });
    expect(previewB.body.html).not.toContain('本学期新增实验室');
  });

  it('B6: the audience counts families — guardians sharing a phone are one family, across colleges too', async () => {
    const whole = await draftLetter(t, officer);
    const audience = await t.request('GET', `/api/letter-campaigns/${whole.id}/audience`, { as: officer });
    expect(audience.status).toBe(200);
    // 40 students: 5 sibling pairs and one family across A and B → 34 families; 5 without a phone are printed.
    expect(audience.body).toMatchObject({ students: 40, families: 34, byChannel: { sms: 29, email: 0, print: 5 }, personalCalls: 1 });
    const onlyB = await draftLetter(t, officer, { audience: { colleges: ['B'], grades: ['2023'] } });
    expect((await t.request('GET', `/api/letter-campaigns/${onlyB.id}/audience`, { as: officer })).body).toMatchObject({ students: 10, families: 10 });
  });

  it('B6: launched twice at once it makes exactly one letter per family; the outbox hands each batch out once; outcomes open the campaign', async () => {
    const draft = await draftLetter(t, officer, { audience: { colleges: ['A'] } });
    const launches = await Promise.all([1, 2, 3].map(() => t.request('POST', `/api/letter-campaigns/${draft.id}/launch`, { as: officer })));
    expect(launches.map((r) => r.status)).toEqual([202, 202, 202]);
    const progress = await lettersCreated(t, officer, draft.id);
    expect(progress).toMatchObject({ families: 25, created: 25, print: 5 });
    expect(await letters().countDocuments({ campaign: new mongoose.Types.ObjectId(draft.id) })).toBe(25);
    expect((await t.request('POST', `/api/letter-campaigns/${draft.id}/launch`, { as: officer })).status).toBe(202);
    expect(await letters().countDocuments({ campaign: new mongoose.Types.ObjectId(draft.id) })).toBe(25);

    const [first, second] = await Promise.all([1, 2].map(() => t.request('POST', `/api/letter-campaigns/${draft.id}/outbox`, { as: officer, body: { channel: 'sms' } })));
    if (first.status !== 200) throw new Error(JSON.stringify(first.body));
    const handedOut = [...first.body.items, ...second.body.items].map((i: { letter: string }) => i.letter);
    expect(handedOut).toHaveLength(20);
    expect(new Set(handedOut).size).toBe(20);
    const item = first.body.items[0] ?? second.body.items[0];
    expect(item.to[0]).toMatch(/^1\d{10}$/);
    expect(item.text).toContain(item.link);
    expect(tokenOf(item.link)).toMatch(/^[0-9a-f]{24}\.[A-Za-z0-9_-]{27}$/);

    const outcomes = handedOut.map((letter, i) => ({ letter, state: i === 0 ? 'failed' : 'sent', ...(i === 0 ? { error: '号码无效' } : {}) }));
    expect((await t.request('POST', `/api/letter-campaigns/${draft.id}/deliveries`, { as: officer, body: { items: outcomes } })).status).toBe(200);
    // Reported again (a retried request), nothing is counted twice.
    expect((await t.request('POST', `/api/letter-campaigns/${draft.id}/deliveries`, { as: officer, body: { items: outcomes } })).status).toBe(200);
    const after = await t.request('GET', `/api/letter-campaigns/${draft.id}/progress`, { as: officer });
    expect(after.body).toMatchObject({ state: 'open', sent: 19, failed: 1, pending: 0, print: 5 });
    expect((await t.request('POST', `/api/letter-campaigns/${draft.id}/outbox`, { as: officer, body: { channel: 'sms' } })).body.items).toEqual([]);

    const foreign = await t.request('POST', `/api/letter-campaigns/${draft.id}/deliveries`, { as: officer, body: { items: [{ letter: '0123456789abcdef01234567', state: 'sent' }] } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.details[0].path).toBe('items[0].letter');
  });

  it('B6: outcomes of the same letters reported at once are counted once each, and the latest outcome stands', async () => {
    const draft = await draftLetter(t, officer, { audience: { colleges: ['B'] }, channels: ['sms'] });
    await t.request('POST', `/api/letter-campaigns/${draft.id}/launch`, { as: officer });
    await lettersCreated(t, officer, draft.id);
    const batch = await t.request('POST', `/api/letter-campaigns/${draft.id}/outbox`, { as: officer, body: { channel: 'sms' } });
    const handedOut: string[] = batch.body.items.map((i: { letter: string }) => i.letter);
    expect(handedOut.length).toBeGreaterThanOrEqual(9);
    const report = (state: string) => t.request('POST', `/api/letter-campaigns/${draft.id}/deliveries`, { as: officer, body: { items: handedOut.map((letter) => ({ letter, state })) } });

    // Six senders report "sent" for the same letters at once: every letter is counted once.
    const sent = await Promise.all(Array.from({ length: 6 }, () => report('sent')));
    expect(sent.every((r) => r.status === 200)).toBe(true);
    expect(sent.reduce((sum, r) => sum + r.body.recorded, 0)).toBe(handedOut.length);
    expect(sent.flatMap((r) => r.body.unrecorded)).toEqual([]);
    expect((await t.request('GET', `/api/letter-campaigns/${draft.id}/progress`, { as: officer })).body).toMatchObject({ sent: handedOut.length, delivered: 0, failed: 0 });

    // "delivered" and "failed" racing: each letter ends in one state, and the counters are those of the states.
    const [delivered, failed] = await Promise.all([report('delivered'), report('failed')]);
    expect([delivered.status, failed.status]).toEqual([200, 200]);
    expect([...delivered.body.unrecorded, ...failed.body.unrecorded]).toEqual([]);
    const states = await letters().find({ _id: { $in: handedOut } as never }).project({ 'delivery.state': 1 }).toArray();
    const count = (state: string) => states.filter((l) => l.delivery.state === state).length;
    const progress = (await t.request('GET', `/api/letter-campaigns/${draft.id}/progress`, { as: officer })).body;
    expect(progress).toMatchObject({ sent: count('sent') + count('delivered'), delivered: count('delivered'), failed: count('failed') });
    expect(count('sent') + count('delivered') + count('failed')).toBe(handedOut.length);
  });

  it('B6: counselors see their own families’ letters, teachers none; a revoked link is replaced', async () => {
    const draft = await draftLetter(t, officer, { audience: { colleges: ['A'] } });
    await t.request('POST', `/api/letter-campaigns/${draft.id}/launch`, { as: officer });
    await lettersCreated(t, officer, draft.id);
    const links = await sendAllLetters(t, officer, draft.id);
    expect(links.size).toBe(20);

    const list = (as: Credentials) => t.request('GET', `/api/family-letters?campaign=${draft.id}&limit=200`, { as });
    const mine = await list(counselorA);
    // counselorA looks after students 0–14: five sibling families and ten single ones (five of them printed).
    expect(mine.body.total).toBe(10);
    expect(mine.body.items.every((l: { counselor: string; phones?: unknown }) => l.counselor === String(counselorA.userId) && l.phones === undefined)).toBe(true);
    expect((await list(teacherA)).body.total).toBe(0);
    expect((await list(officer)).body.total).toBe(25);

    const [letterId, item] = [...links][0]!;
    const revoked = await t.request('POST', `/api/family-letters/${letterId}/revoke`, { as: officer });
    expect(revoked.status).toBe(200);
    expect(revoked.body.link).not.toBe(item.link);
    expect(tokenOf(revoked.body.link).startsWith(`${letterId}.`)).toBe(true);
    expect((await t.request('POST', `/api/family-letters/${letterId}/revoke`, { as: counselorA })).status).toBe(403);

    const closed = await t.request('POST', `/api/letter-campaigns/${draft.id}/close`, { as: officer });
    expect(closed.body.state).toBe('closed');
    expect((await t.request('POST', `/api/family-letters/${letterId}/revoke`, { as: officer })).status).toBe(409);
    expect((await t.request('PATCH', `/api/letter-campaigns/${draft.id}`, { as: officer, body: { title: '改' } })).status).toBe(409);
  });
});
