import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let officer: Credentials;
let leaderA: Credentials;
let counselorA: Credentials;

const HEADERS = ['学号', '姓名', '性别', '出生日期', '院系代码', '专业', '年级', '班级', '辅导员', '监护人姓名', '监护人关系', '监护人电话', '家庭住址', '关注等级', '病史'];

function row(i: number, college = 'A'): unknown[] {
  return [`2025${college}${String(i).padStart(5, '0')}`, `学生${i}`, i % 2 ? '男' : '女', new Date(Date.UTC(2006, i % 12, 1 + (i % 28))), college, '软件技术', '2025', `软件${(i % 30) + 1}班`,
    counselorA.username, `家长${i}`, '母亲', `139${String(i).padStart(8, '0')}`, '河南省某市某县', i % 50 === 0 ? '特殊' : '一般', i % 100 === 0 ? '心脏病史' : ''];
}

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名册');
  sheet.addRow(HEADERS);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function upload(as: Credentials, content: Buffer, name: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), name);
  const response = await fetch(`${t.url}/api/students/imports`, { method: 'POST', headers: { Cookie: as.cookie! }, body: form });
  return { status: response.status, body: await response.json() };
}

async function finished(as: Credentials, id: string) {
  const seen: number[] = [];
  for (;;) {
    const job = await t.request('GET', `/api/students/imports/${id}`, { as });
    seen.push(job.body.progress);
    if (['completed', 'rejected', 'failed'].includes(job.body.status)) return { ...job.body, seen };
    await new Promise((r) => setTimeout(r, 100));
  }
}

const students = () => mongoose.connection.collection('students');

beforeAll(async () => {
  t = await startTestService();
  const a = await t.college('A');
  await t.college('B');
  officer = await t.staff('studentAffairs');
  leaderA = await t.staff('collegeLeader', a);
  counselorA = await t.staff('counselor', a);
});
afterAll(async () => {
  await t.stop();
});

describe('A5 roster import', () => {
  const N = Number(process.env.HSB_IMPORT_TEST_ROWS ?? 20_000);
  let rows: unknown[][];

  beforeAll(() => {
    rows = Array.from({ length: N }, (_, i) => row(i + 1));
  });

  it('rejects a 20,000-row file with one bad row: a row-by-row report, and nothing written', async () => {
    const bad = rows.map((r) => [...r]);
    bad[14_999]![11] = '12345';
    bad[17_000]![2] = '未知';
    const started = await upload(officer, await xlsx(bad), '2025级名册.xlsx');
    expect(started.status).toBe(202);
    const job = await finished(officer, started.body.id);
    expect(job.status).toBe('rejected');
    expect(job.errorCount).toBe(2);
    expect(job.errors).toEqual([
      { row: 15_001, field: 'guardians[0].phone', message: expect.stringContaining('11 位手机号'), messageEn: expect.any(String) },
      { row: 17_002, field: 'gender', message: '性别应为“男”或“女”', messageEn: expect.any(String) },
    ]);
    expect(await students().countDocuments()).toBe(0);
  }, 180_000);

  it('imports the whole valid file with progress, encrypting sensitive columns', async () => {
    const started = await upload(officer, await xlsx(rows), '2025级名册.xlsx');
    const job = await finished(officer, started.body.id);
    expect(job).toMatchObject({ status: 'completed', totalRows: N, processedRows: N, progress: 100, created: N, updated: 0, unchanged: 0, errorCount: 0 });
    expect(await students().countDocuments()).toBe(N);
    const sample = await students().findOne({ studentNo: '2025A00100' });
    expect(sample?.guardians).toEqual([{ name: '家长100', relation: '母亲', phone: '13900000100' }]);
    expect(JSON.stringify(sample)).not.toContain('心脏病史');
    expect(sample?.sealed.medicalHistory).toMatch(/^v1:/);
  }, 600_000);

  it('re-importing is idempotent by student number: nothing duplicated, only real changes written', async () => {
    const changed = rows.map((r) => [...r]);
    // More changed rows than FerretDB takes in one update command (it stops answering at about 100).
    for (let i = 0; i < 150; i += 1) changed[i]![7] = '软件99班';
    changed[150]![12] = '河南省新地址';
    const started = await upload(officer, await xlsx(changed), '2025级名册（更正）.xlsx');
    const job = await finished(officer, started.body.id);
    expect(job.failure).toBeNull();
    expect(job).toMatchObject({ status: 'completed', created: 0, updated: 151, unchanged: N - 151 });
    expect(await students().countDocuments({ className: '软件99班' })).toBe(150);
    expect(await students().countDocuments()).toBe(N);
    const first = await t.request('GET', '/api/students/2025A00001/history', { as: officer });
    expect(first.body[0]).toMatchObject({ revision: 2, source: 'import', changes: [{ field: 'className', from: '软件2班', to: '软件99班' }] });
  }, 600_000);

  it('reads CSV too, and reports duplicate student numbers inside the file', async () => {
    const csv = [HEADERS.join(','), ...[1, 2, 2].map((i) => row(100_000 + i).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))).join(','))].join('\n');
    const started = await upload(officer, Buffer.from('\uFEFF' + csv, 'utf8'), 'roster.csv');
    const job = await finished(officer, started.body.id);
    expect(job.status).toBe('rejected');
    expect(job.errors).toEqual([expect.objectContaining({ row: 4, field: 'studentNo', message: expect.stringContaining('与第 3 行重复') })]);
  });

  it('keeps a college leader to the own college, and refuses counselors and non-spreadsheets', async () => {
    const started = await upload(leaderA, await xlsx([row(1, 'B')]), 'b.xlsx');
    const job = await finished(leaderA, started.body.id);
    expect(job.status).toBe('rejected');
    expect(job.errors[0]).toMatchObject({ row: 2, field: 'college', message: '只能处理本院系的学生' });
    expect((await upload(counselorA, await xlsx([row(1)]), 'a.xlsx')).status).toBe(403);
    expect((await upload(officer, Buffer.from('hello'), 'roster.txt')).status).toBe(415);
  });

  it('reports missing columns before looking at any row', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('x').addRow(['学号', '姓名']);
    workbook.getWorksheet('x')!.addRow(['2025A99999', '某人']);
    const started = await upload(officer, Buffer.from(await workbook.xlsx.writeBuffer()), 'partial.xlsx');
    const job = await finished(officer, started.body.id);
    expect(job.status).toBe('rejected');
    expect(job.errors.filter((e: { row: number }) => e.row === 1).map((e: { field: string }) => e.field)).toEqual(['gender', 'birthDate', 'college', 'major', 'grade', 'className']);
  });
});
