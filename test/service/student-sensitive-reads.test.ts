import pino from 'pino';
import { AuditEntryModel } from '../../server/audit/audit-entry.model';
import { FieldCipher } from '../../server/security/field-cipher';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/**
 * Break-glass reads of a student's sensitive part (A4): the page opens an archive without decrypting
 * anything (`?sensitive=omit`, which says what is held and whether the caller may show it), and
 * `POST /api/students/:id/sensitive-reads` opens it on purpose — a reason required unless the caller
 * is the student's own counselor, one audit entry with the reason, 403 with the need-to-know rule for
 * roles outside the sensitive scope, 404 outside the student scope. Values never reach logs or audit.
 */

const SECRET = { medicalHistory: '先天性心脏病-术后随访Q7', psychologicalFlags: '考试焦虑-咨询中心跟进Q7', familyFinances: '低保家庭-年收入两万Q7' };
const VALUES = Object.values(SECRET);

let t: TestService;
let counselor: Credentials;
let otherCounselor: Credentials;
let teacher: Credentials;
let mentor: Credentials;
let leader: Credentials;
let otherLeader: Credentials;
let otherCounselorB: Credentials;
let officer: Credentials;
let admin: Credentials;
let schoolLeader: Credentials;
let studentId: string;
let plainId: string;
const logLines: string[] = [];

const readsOf = (requestId: string | null) => AuditEntryModel.find({ action: 'read-sensitive', requestId }).lean();
const show = (as: Credentials, body: unknown = {}, id = studentId, headers?: Record<string, string>) => t.request('POST', `/api/students/${id}/sensitive-reads`, { as, body, headers });

beforeAll(async () => {
  t = await startTestService({ HSB_LOG_LEVEL: 'trace' });
  // Every line the service logs at the most talkative level, kept here instead of written out.
  const stream = (t.service.logger as unknown as Record<symbol, { write(line: string): unknown }>)[pino.symbols.streamSym]!;
  stream.write = (line: string) => logLines.push(line);
  const a = await t.college('A');
  const b = await t.college('B');
  counselor = await t.staff('counselor', a, 'own.counselor');
  otherCounselor = await t.staff('counselor', a, 'other.counselor');
  teacher = await t.staff('teacher', a, 'a.teacher');
  mentor = await t.staff('growthMentor', a, 'a.mentor');
  leader = await t.staff('collegeLeader', a, 'a.leader');
  otherLeader = await t.staff('collegeLeader', b, 'b.leader');
  otherCounselorB = await t.staff('counselor', b, 'b.counselor');
  officer = await t.staff('studentAffairs', undefined, 'office');
  admin = await t.staff('admin', undefined, 'root');
  schoolLeader = await t.staff('schoolLeader', undefined, 'principal');
  const created = await t.request('POST', '/api/students', {
    as: counselor,
    body: { studentNo: '2024SR0001', name: '周敏', gender: '女', birthDate: '2006-05-01', college: 'A', major: '护理', grade: '2024', className: '护理1班', counselor: counselor.username, careTier: 'special', ...SECRET },
  });
  expect(created.status).toBe(201);
  studentId = created.body.id;
  const plain = await t.request('POST', '/api/students', {
    as: counselor,
    body: { studentNo: '2024SR0002', name: '吴刚', gender: '男', birthDate: '2006-06-01', college: 'A', major: '护理', grade: '2024', className: '护理1班', counselor: counselor.username },
  });
  expect(plain.status).toBe(201);
  plainId = plain.body.id;
});
afterAll(async () => {
  await t.stop();
});

describe('opening an archive without its sensitive part (?sensitive=omit)', () => {
  it('decrypts nothing and audits nothing, and says what is held', async () => {
    const decrypt = jest.spyOn(FieldCipher.prototype, 'decrypt');
    try {
      for (const who of [counselor, leader, officer, admin]) {
        decrypt.mockClear();
        const read = await t.request('GET', `/api/students/${studentId}?sensitive=omit`, { as: who });
        expect([who.username, read.status]).toEqual([who.username, 200]);
        expect(decrypt).not.toHaveBeenCalled();
        for (const value of VALUES) expect(JSON.stringify(read.body)).not.toContain(value);
        expect(read.body.medicalHistory).toBeUndefined();
        expect(read.body.redacted).toEqual(['medicalHistory', 'psychologicalFlags', 'familyFinances']);
        expect(read.body.sensitiveAccess.fields).toEqual(['medicalHistory', 'psychologicalFlags', 'familyFinances']);
        expect(await readsOf(read.headers.get('x-request-id'))).toHaveLength(0);
      }
    } finally {
      decrypt.mockRestore();
    }
  });

  it('names the college and the counselor, and keeps the ETag', async () => {
    const read = await t.request('GET', `/api/students/2024SR0001?sensitive=omit`, { as: counselor });
    expect(read.body).toMatchObject({ studentNo: '2024SR0001', collegeCode: 'A', collegeName: 'A 学院', counselorName: counselor.username });
    expect(read.headers.get('etag')).toBe(`"${read.body.revision}"`);
    // The ETag is the archive's revision, which a contact does not change: no browser may answer from its cache.
    expect(read.headers.get('cache-control')).toBe('no-store');
  });

  it('tells each role whether it may show the sensitive part and whether it must give a reason', async () => {
    const access = async (who: Credentials) => (await t.request('GET', `/api/students/${studentId}?sensitive=omit`, { as: who })).body.sensitiveAccess;
    expect(await access(counselor)).toMatchObject({ mayShow: true, reasonRequired: false, reasonMinLength: 5, refusal: null });
    for (const who of [leader, officer, admin]) expect([who.username, await access(who)]).toEqual([who.username, expect.objectContaining({ mayShow: true, reasonRequired: true, refusal: null })]);
    for (const who of [teacher, mentor, otherCounselor]) {
      const refused = await access(who);
      expect([who.username, refused.mayShow, refused.reasonRequired]).toEqual([who.username, false, false]);
      expect(refused.refusal.messageZh).toContain('《个人信息保护法》');
      expect(refused.refusal.messageZh).toContain('只对负责该生的辅导员、本院系领导和学工部开放');
      expect(refused.refusal.messageEn).toContain("PIPL's need-to-know rule");
    }
    expect((await access(teacher)).refusal.messageZh).toContain('教师不能查看');
    expect((await access(otherCounselor)).refusal.messageZh).toContain('您不是该生的辅导员');
  });

  it('leaves the default read as it was: values for the counselor, audited (API clients, n8n)', async () => {
    const read = await t.request('GET', `/api/students/${studentId}`, { as: counselor });
    expect(read.body).toMatchObject(SECRET);
    expect(read.body.sensitiveAccess).toBeUndefined();
    expect(await readsOf(read.headers.get('x-request-id'))).toHaveLength(1);
  });

  it('names a changed sensitive field in the year-to-year difference without its values, unaudited', async () => {
    const omitted = await t.request('GET', `/api/students/${studentId}/diff?sensitive=omit`, { as: counselor });
    expect(omitted.status).toBe(200);
    expect(omitted.body.changes).toContainEqual({ field: 'medicalHistory', sensitive: true });
    for (const value of VALUES) expect(JSON.stringify(omitted.body)).not.toContain(value);
    expect(await readsOf(omitted.headers.get('x-request-id'))).toHaveLength(0);
    const full = await t.request('GET', `/api/students/${studentId}/diff`, { as: counselor });
    expect(full.body.changes).toContainEqual({ field: 'medicalHistory', from: null, to: SECRET.medicalHistory, sensitive: true });
    expect(await readsOf(full.headers.get('x-request-id'))).toHaveLength(1);
  });
});

describe('showing the sensitive part on purpose (POST /api/students/:id/sensitive-reads)', () => {
  it('the student’s own counselor shows it without a reason: one audit entry, no reason', async () => {
    const shown = await show(counselor);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ student: studentId, studentNo: '2024SR0001', fields: ['medicalHistory', 'psychologicalFlags', 'familyFinances'], values: SECRET, reason: null, audited: true });
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const entries = await readsOf(shown.headers.get('x-request-id'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ resourceType: 'student', resourceId: studentId, fields: ['medicalHistory', 'psychologicalFlags', 'familyFinances'], actor: { username: counselor.username, role: 'counselor' } });
    expect(entries[0]!.reason).toBeUndefined();
  });

  it('a college leader, student affairs and an administrator must give a reason of at least 5 characters', async () => {
    for (const who of [leader, officer, admin]) {
      for (const body of [{}, { reason: '' }, { reason: '看一下' }, { reason: '  查   看  ' }]) {
        const refused = await show(who, body);
        expect([who.username, body, refused.status]).toEqual([who.username, body, 400]);
        expect(refused.body.details).toEqual([expect.objectContaining({ path: 'reason', rule: body.reason?.trim() ? 'minLength' : 'required' })]);
        expect(refused.body.details[0].message).toContain('须填写原因（至少 5 个字）：说明查看哪一项、为什么');
        expect(refused.body.details[0].messageEn).toContain('say which field and why');
        expect(refused.body.values).toBeUndefined();
        expect(await readsOf(refused.headers.get('x-request-id'))).toHaveLength(0);
      }
      const reason = `核对病史，安排${who.username}的体检`;
      const shown = await show(who, { reason: `  ${reason}\n` });
      expect([who.username, shown.status]).toEqual([who.username, 200]);
      expect(shown.body.values).toEqual(SECRET);
      expect(shown.body.reason).toBe(reason);
      const entries = await readsOf(shown.headers.get('x-request-id'));
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ reason, fields: ['medicalHistory', 'psychologicalFlags', 'familyFinances'], actor: { username: who.username } });
    }
  });

  it('keeps a reason the own counselor gives anyway, and refuses one longer than 500 characters', async () => {
    const shown = await show(counselor, { reason: '家访前了解身体情况' });
    expect((await readsOf(shown.headers.get('x-request-id')))[0]!.reason).toBe('家访前了解身体情况');
    const long = await show(leader, { reason: '因'.repeat(501) });
    expect(long.status).toBe(400);
    expect(long.body.details[0].path).toBe('reason');
  });

  it('refuses teachers, mentors, school leaders and other counselors with the need-to-know rule (403), auditing no read', async () => {
    for (const who of [teacher, mentor, schoolLeader, otherCounselor]) {
      const refused = await show(who, { reason: '我想了解一下这个学生的情况' });
      expect([who.username, refused.status, refused.body.code]).toEqual([who.username, 403, 'SENSITIVE_NEED_TO_KNOW']);
      expect(refused.body.messageZh).toContain('只对负责该生的辅导员、本院系领导和学工部开放');
      expect(refused.body.messageEn).toContain('need-to-know');
      for (const value of VALUES) expect(JSON.stringify(refused.body)).not.toContain(value);
      expect(await readsOf(refused.headers.get('x-request-id'))).toHaveLength(0);
    }
    expect((await show(teacher)).body.messageZh).toContain('教师不能查看');
    expect((await show(schoolLeader)).body.messageZh).toContain('校领导不能查看');
  });

  it('answers 404 outside the student scope, as for any record there', async () => {
    for (const who of [otherLeader, otherCounselorB]) {
      const missing = await show(who, { reason: '核对病史，安排体检' });
      expect([who.username, missing.status]).toEqual([who.username, 404]);
      expect(JSON.stringify(missing.body)).not.toContain(SECRET.medicalHistory);
    }
    expect((await show(officer, { reason: '核对病史，安排体检' }, '2099XX9999')).status).toBe(404);
    expect((await show(otherLeader, { reason: '核对病史，安排体检' }, '2024SR0001')).status).toBe(404);
  });

  it('opens an archive with no sensitive field without auditing a read', async () => {
    const shown = await show(counselor, {}, plainId);
    expect(shown.body).toMatchObject({ fields: [], values: {}, audited: false });
    expect(await readsOf(shown.headers.get('x-request-id'))).toHaveLength(0);
  });

  it('replays an Idempotency-Key answer without the values: every disclosure is an audited one', async () => {
    const headers = { 'Idempotency-Key': 'show-sensitive-0001' };
    const first = await show(leader, { reason: '核对家庭经济情况，评定助学金' }, studentId, headers);
    expect(first.body.values).toEqual(SECRET);
    const again = await show(leader, { reason: '核对家庭经济情况，评定助学金' }, studentId, headers);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('idempotent-withheld')).toBe('values');
    expect(again.body.values).toBeNull();
    expect(await AuditEntryModel.countDocuments({ action: 'read-sensitive', reason: '核对家庭经济情况，评定助学金' })).toBe(1);
  });

  it('audits every one of concurrent shows, each with its reason', async () => {
    const reasons = Array.from({ length: 8 }, (_, i) => `并发核对病史第${i}次`);
    const answers = await Promise.all(reasons.map((reason) => show(officer, { reason })));
    expect(answers.map((a) => a.status)).toEqual(reasons.map(() => 200));
    const entries = await AuditEntryModel.find({ action: 'read-sensitive', reason: { $in: reasons } }).lean();
    expect(entries.map((e) => e.reason).sort()).toEqual([...reasons].sort());
  });

  it('lists the reason in the audit log for auditors', async () => {
    const log = await t.request('GET', `/api/audit?action=read-sensitive&resourceId=${studentId}&limit=100`, { as: officer });
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { reason?: string }) => e.reason)).toContain(`核对病史，安排${leader.username}的体检`);
  });

  it('never writes a sensitive value to the audit log or the service log', async () => {
    const audit = JSON.stringify(await AuditEntryModel.find({}).lean());
    const logs = logLines.join('');
    expect(logs).toContain('/sensitive-reads'); // the requests above were logged
    for (const value of VALUES) {
      expect(audit).not.toContain(value);
      expect(logs).not.toContain(value);
    }
  });
});

describe('what the student page reads besides the archive', () => {
  it('lists one student’s awards (by id or number), within what the caller may name', async () => {
    const award = await t.request('POST', '/api/awards', { as: counselor, body: { student: '2024SR0001', kind: 'award', title: '省级技能大赛一等奖', level: 'provincial', category: 'competition', date: '2026-10-01' } });
    expect(award.status).toBe(201);
    await t.request('POST', '/api/awards', { as: counselor, body: { student: '2024SR0002', kind: 'award', title: '校级三好学生', level: 'school', category: 'honour', date: '2026-10-02' } });
    for (const ref of [studentId, '2024SR0001']) {
      const listed = await t.request('GET', `/api/awards?student=${ref}`, { as: leader });
      expect(listed.body.items.map((a: { title: string }) => a.title)).toEqual(['省级技能大赛一等奖']);
      expect(listed.body.items[0].goodNews).toBe(true);
    }
    expect((await t.request('GET', `/api/awards?student=${studentId}`, { as: otherLeader })).status).toBe(404);
  });

  it('finds the student’s entries in the visit plans of the newest campaigns', async () => {
    const year = new Date().getFullYear() + 1;
    const campaign = await t.request('POST', '/api/visit-campaigns', { as: officer, body: { title: `${year}年寒假家访`, break: 'winter', visitStartsOn: `${year}-01-15`, visitEndsOn: `${year}-02-20`, planDueAt: `${year}-01-10 12:00` } });
    expect(campaign.status).toBe(201);
    expect((await t.request('POST', `/api/visit-campaigns/${campaign.body.id}/open`, { as: officer })).status).toBe(200);
    const plan = await t.request('PUT', `/api/visit-campaigns/${campaign.body.id}/plans/A`, {
      as: counselor,
      body: { entries: [{ student: '2024SR0001', mode: 'onsite', kind: 'followUp', visitors: [{ user: counselor.username }], plannedOn: `${year}-01-20` }] },
    });
    expect(plan.status).toBe(201);
    for (const who of [counselor, teacher, officer]) {
      const found = await t.request('GET', '/api/students/2024SR0001/planned-visits', { as: who });
      expect([who.username, found.status, found.body.items.length]).toEqual([who.username, 200, 1]);
      expect(found.body.items[0]).toMatchObject({ campaign: { id: campaign.body.id, title: `${year}年寒假家访`, state: 'open' }, plan: { state: 'draft' }, entry: { studentNo: '2024SR0001', modeZh: '实地家访', kindZh: '随访', plannedOn: `${year}-01-20`, approval: 'pending' } });
    }
    expect((await t.request('GET', `/api/students/${plainId}/planned-visits`, { as: counselor })).body).toEqual({ items: [], campaignsSearched: 1 });
    expect((await t.request('GET', '/api/students/2024SR0001/planned-visits', { as: otherLeader })).status).toBe(404);
  });

  it('tells the page each kind of record the caller may read (/api/auth/me readScope)', async () => {
    expect((await t.request('GET', '/api/auth/me', { as: teacher })).body.readScope).toMatchObject({ student: 'lookup', sensitive: 'none', contact: 'own', award: 'none' });
    expect((await t.request('GET', '/api/auth/me', { as: counselor })).body.readScope).toMatchObject({ student: 'college', sensitive: 'assigned' });
  });
});
