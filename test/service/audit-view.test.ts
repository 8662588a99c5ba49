import ExcelJS from 'exceljs';
import { AuditEntryModel } from '../../server/audit/audit-entry.model';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

/** Issue #11 item 5: student affairs reads who opened which sensitive field when, filters it and exports it. */

let t: TestService;
let counselor: Credentials;
let leader: Credentials;
let officer: Credentials;
let studentId: string;

const archive = (studentNo: string, counselorName: string) => ({
  studentNo, studentName: '李娜', gender: 'female', birthDate: '2006-05-01', college: 'A', major: '会计', grade: '2024', className: '会计1班',
  counselor: counselorName, guardians: [{ guardianName: '李强', relation: '父亲', phone: '13800138001' }], homeAddress: '某市某区 2 号', careTier: 'special',
  specialCategories: { financialHardship: true, disability: false, chronicIllness: false, psychological: false, academic: false, familyChange: false, other: false },
  medicalHistory: '过敏性鼻炎', familyFinances: '低保家庭',
});

async function downloadXlsx(query: string, as: Credentials): Promise<ExcelJS.Worksheet> {
  const response = await fetch(`${t.url}/api/audit.xlsx${query}`, { headers: { Cookie: as.cookie! } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('spreadsheetml');
  expect(response.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.xlsx"; filename\*=UTF-8''/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
  return workbook.getWorksheet('审计记录')!;
}

beforeAll(async () => {
  t = await startTestService();
  const a = await t.college('A');
  counselor = await t.staff('counselor', a, 'audit.counselor');
  leader = await t.staff('collegeLeader', a, 'audit.leader');
  officer = await t.staff('studentAffairs', undefined, 'audit.office');
  const created = await t.request('POST', '/form/studentArchive/submission', { as: counselor, body: { data: archive('2024AU0001', counselor.username) } });
  expect(created.status).toBe(201);
  const found = await t.request('GET', '/api/students?q=2024AU0001', { as: counselor });
  studentId = found.body.items[0].id;
  expect((await t.request('GET', `/api/students/${studentId}`, { as: counselor })).status).toBe(200);
  expect((await t.request('GET', `/api/students/${studentId}`, { as: leader })).status).toBe(200);
});
afterAll(async () => {
  await t.stop();
});

describe('audit view', () => {
  it('filters sensitive reads by person, field and student', async () => {
    const byLeader = await t.request('GET', `/api/audit?action=read-sensitive&username=audit.leader&resourceType=student&resourceId=${studentId}`, { as: officer });
    expect(byLeader.status).toBe(200);
    expect(byLeader.body.total).toBe(1);
    expect(byLeader.body.items[0]).toMatchObject({ action: 'read-sensitive', resourceId: studentId, actor: { username: 'audit.leader', role: 'collegeLeader' } });
    expect(byLeader.body.items[0].fields).toEqual(expect.arrayContaining(['medicalHistory', 'familyFinances']));
    // The counselor read it twice: the answer to filing the archive, and the GET.
    const byCounselor = await t.request('GET', `/api/audit?action=read-sensitive&username=audit.counselor&resourceType=student`, { as: officer });
    expect(byCounselor.body.total).toBe(2);
    expect(byCounselor.body.items.every((e: { resourceId: string }) => e.resourceId === studentId)).toBe(true);

    const byField = await t.request('GET', '/api/audit?action=read-sensitive&resourceType=student&field=medicalHistory', { as: officer });
    expect(byField.body.items.map((e: { actor: { username: string } }) => e.actor.username).sort()).toEqual(['audit.counselor', 'audit.counselor', 'audit.leader']);
    const otherField = await t.request('GET', '/api/audit?action=read-sensitive&field=psychologicalFlags', { as: officer });
    expect(otherField.body.total).toBe(0);
  });

  it('filters by whole days in Beijing time, `to` included', async () => {
    // An entry at 23:30 Beijing time on 1 March is on 1 March, though it is 15:30 UTC.
    await AuditEntryModel.create({ at: new Date('2026-03-01T15:30:00Z'), action: 'read-sensitive', resourceType: 'student', resourceId: 'old', fields: ['medicalHistory'], actor: { kind: 'user', username: 'night.owl' } });
    const sameDay = await t.request('GET', '/api/audit?username=night.owl&from=2026-03-01&to=2026-03-01', { as: officer });
    expect(sameDay.body.total).toBe(1);
    const nextDay = await t.request('GET', '/api/audit?username=night.owl&from=2026-03-02', { as: officer });
    expect(nextDay.body.total).toBe(0);
  });

  it('refuses a day range that ends before it starts, naming the field in both languages', async () => {
    const response = await t.request('GET', '/api/audit?from=2026-03-05&to=2026-03-01', { as: officer });
    expect(response.status).toBe(400);
    expect(response.body.details[0]).toMatchObject({ path: 'to', message: '结束日期不能早于开始日期', messageEn: 'to must not be before from' });
    const badDay = await t.request('GET', '/api/audit?from=2026-02-30', { as: officer });
    expect(badDay.status).toBe(400);
    expect(badDay.body.details[0].path).toBe('from');
  });

  it('exports the filtered rows as a spreadsheet whose cells carry the entries', async () => {
    const sheet = await downloadXlsx(`?action=read-sensitive&resourceId=${studentId}`, officer);
    expect(sheet.getRow(1).getCell(1).value).toBe('时间（北京时间）');
    const users = [2, 3, 4].map((r) => sheet.getRow(r).getCell(2).value).sort();
    expect(users).toEqual(['audit.counselor', 'audit.counselor', 'audit.leader']);
    expect(sheet.getRow(2).getCell(5).value).toBe('查看敏感信息');
    expect(String(sheet.getRow(2).getCell(10).value)).toContain('medicalHistory');
    expect(sheet.getRow(2).getCell(1).value).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(2).getCell(8).value).toBe('2024AU0001');
    expect(sheet.getRow(2).getCell(9).value).toBe('李娜');
  });

  it('is for student affairs and administrators only', async () => {
    expect((await t.request('GET', '/api/audit', { as: leader })).status).toBe(403);
    expect((await fetch(`${t.url}/api/audit.xlsx`, { headers: { Cookie: counselor.cookie! } })).status).toBe(403);
  });
});
