import ExcelJS from 'exceljs';
import { seededNumber as no } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { visitStatisticsFixture, type StatisticsFixture } from '../support/visit-statistics-fixture';

/**
 * D10 (附件2): the statistics table is computed from the records, never typed — its figures equal a hand
 * count of the fixture's visits (see visit-statistics-fixture.ts), the XLSX read back with exceljs holds
 * the same numbers in the paper form's columns, and the figures follow the plan's read scope.
 */

let t: TestService;
let f: StatisticsFixture;

beforeAll(async () => {
  t = await startTestService();
  f = await visitStatisticsFixture(t);
}, 240_000);
afterAll(async () => {
  await t.stop();
});

const route = (tail = '', college?: string) => `/api/visit-campaigns/${f.campaign}/statistics${tail}${college ? `?college=${college}` : ''}`;

async function xlsx(as: Credentials, college?: string): Promise<ExcelJS.Workbook> {
  const response = await fetch(`${t.url}${route('.xlsx', college)}`, { headers: { Cookie: as.cookie! } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('spreadsheetml');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  return workbook;
}

/** A sheet's row as plain values, empty cells as null (a merged cell reads as its master's value). */
function values(sheet: ExcelJS.Worksheet, row: number): unknown[] {
  return Array.from({ length: sheet.columnCount }, (_, i) => sheet.getCell(row, i + 1).value ?? null);
}
function rowWhere(sheet: ExcelJS.Worksheet, test: (cells: unknown[]) => boolean): unknown[] {
  for (let r = 1; r <= sheet.rowCount; r += 1) if (test(values(sheet, r))) return values(sheet, r);
  throw new Error('no such row');
}

/** The hand count of college A (visits: A0 group, A1 amended, A2, A3 leader, A4 graduate, A150 and A7 unplanned, A7 planned). */
const HAND_COUNT_A = {
  visits: 8,
  students: 7,
  byMode: { onsite: 4, video: 2, phone: 2 },
  byKind: { general: 5, followUp: 2, scheduled: 1 },
  byTarget: { current: 6, hardship: 1, typical: 0, graduate: 1, loanOverdue: 0 },
  visitorsByRole: { schoolLeader: 1, counselor: 7, academicMentor: 1, growthMentor: 1, other: 1 },
  leaderVisits: 1,
  unplanned: 2,
};

describe('the college statistics table (D10)', () => {
  it('D10: equals the hand count — distinct students once, the draft not counted, the amended report still counted', async () => {
    const response = await t.request('GET', route('', 'A'), { as: f.counselorA });
    expect(response.status).toBe(200);
    const s = response.body;
    expect(s.college).toMatchObject({ code: 'A', name: '信息工程学院' });
    expect(s.totals).toEqual(HAND_COUNT_A);
    expect(s.drafts).toBe(1);
    // 300 students at 1% → 3; the leader-only visit of A3 does not count towards coverage in this campaign.
    expect(s.coverage).toMatchObject({ enrolled: 300, required: 3, visited: 7, counted: 6, met: true, leaderVisitsCount: false });
    expect(s.planned).toEqual({ entries: 8, visited: 6, notVisited: 2 });
    expect(s.plannedNotVisited.map((e: { studentNo: string; report: string }) => [e.studentNo, e.report])).toEqual([[no('A', 5), 'draft'], [no('A', 6), 'none']]);
  });

  it('D10: by grade, by major and by grade and major, with the enrolment of each', async () => {
    const s = (await t.request('GET', route('', 'A'), { as: f.officer })).body;
    const pick = (rows: Array<Record<string, unknown>>, key: string) => rows.map((r) => [r[key], r.enrolled, r.visits, r.students]);
    expect(pick(s.byGrade, 'grade')).toEqual([['2023', 100, 3, 3], ['2024', 200, 5, 4]]);
    expect(pick(s.byMajor, 'major')).toEqual([['会计', 150, 4, 4], ['软件技术', 150, 4, 3]]);
    expect(s.rows.map((r: Record<string, unknown>) => [r.grade, r.major, r.enrolled, r.visits, r.students])).toEqual([
      ['2023', '会计', 50, 2, 2],
      ['2023', '软件技术', 50, 1, 1],
      ['2024', '会计', 100, 2, 2],
      ['2024', '软件技术', 100, 3, 2],
    ]);
    expect(s.rows.find((r: { grade: string; major: string }) => r.grade === '2024' && r.major === '软件技术')).toMatchObject({ byMode: { onsite: 1, video: 2, phone: 0 }, unplanned: 1 });
  });

  it('D10: a report submitted a moment ago is in the figures', async () => {
    const before = (await t.request('GET', route('', 'A'), { as: f.counselorA })).body;
    const draft = (await t.request('GET', `/api/visit-reports?campaign=${f.campaign}&college=A&state=draft&limit=50`, { as: f.counselorA })).body.items.find((r: { version: number }) => r.version === 0);
    // The draft of A5 still lacks nothing but the submission.
    expect((await t.request('POST', `/api/visit-reports/${draft.id}/submit`, { as: f.counselorA })).status).toBe(200);
    const after = (await t.request('GET', route('', 'A'), { as: f.counselorA })).body;
    expect([after.totals.visits, after.totals.students, after.drafts, after.planned.notVisited]).toEqual([before.totals.visits + 1, before.totals.students + 1, 0, 1]);
    HAND_COUNT_A.visits += 1;
    HAND_COUNT_A.students += 1;
    HAND_COUNT_A.byMode.onsite += 1;
    HAND_COUNT_A.byKind.general += 1;
    HAND_COUNT_A.byTarget.current += 1;
    HAND_COUNT_A.visitorsByRole.counselor += 1;
  });
});

describe('the XLSX laid out like 附件2 (D10)', () => {
  it('D10: the title, the college, the form’s column groups, one row per grade and major and the 合计 row hold the records’ figures', async () => {
    const workbook = await xlsx(f.counselorA, 'A');
    const sheet = workbook.getWorksheet('走访统计表')!;
    expect(String(sheet.getCell(1, 1).value)).toContain('学院走访统计表');
    expect(String(sheet.getCell(2, 1).value)).toContain('学院：信息工程学院（A）');
    expect(String(sheet.getCell(3, 1).value)).toContain('学院学生总数 300 人');
    const groups = values(sheet, 5);
    for (const group of ['家访方式（人次）', '家访类型（人次）', '家访对象（人次）', '家访人员（人次）']) expect(groups).toContain(group);
    const headers = values(sheet, 6);
    expect(headers).toEqual([
      '年级', '专业', '在校学生数', '家访学生数', '家访人次', '实地', '网络视频', '电话', '普访', '随访', '定访',
      '在校生', '家庭经济困难学生', '典型学生', '毕业生回访', '助学贷款逾期毕业生', '校领导', '辅导员', '学业导师', '成长导师', '其他教职工', '校领导家访（人次）', '计划外家访（人次）',
    ]);
    const h = HAND_COUNT_A;
    expect(rowWhere(sheet, (c) => c[0] === '合计').slice(2)).toEqual([
      300, h.students, h.visits, h.byMode.onsite, h.byMode.video, h.byMode.phone, h.byKind.general, h.byKind.followUp, h.byKind.scheduled,
      h.byTarget.current, h.byTarget.hardship, h.byTarget.typical, h.byTarget.graduate, h.byTarget.loanOverdue,
      h.visitorsByRole.schoolLeader, h.visitorsByRole.counselor, h.visitorsByRole.academicMentor, h.visitorsByRole.growthMentor, h.visitorsByRole.other, h.leaderVisits, h.unplanned,
    ]);
    expect(rowWhere(sheet, (c) => c[0] === '2024' && c[1] === '软件技术').slice(2, 8)).toEqual([100, 3, 4, 2, 2, 0]); // A1, A7 twice, and A5 submitted above
    const missing = workbook.getWorksheet('计划未访')!;
    expect(rowWhere(missing, (c) => c[1] === no('A', 6))).toEqual([1, no('A', 6), '学生A6', '2023', '会计', '网络视频家访', null, `${f.counselorA.username}（辅导员）`, '未填写报告']);
  });

  it('D10: the school roll-up has one row per college and the total', async () => {
    const workbook = await xlsx(f.officer);
    const sheet = workbook.getWorksheet('全校汇总')!;
    expect(String(sheet.getCell(1, 1).value)).toContain('全校家访统计汇总表');
    // 学院, 在校学生数, 应家访人数, 计入比例人数, 达到比例, 家访学生数, 家访人次, 实地…
    expect(rowWhere(sheet, (c) => c[0] === '信息工程学院').slice(0, 7)).toEqual(['信息工程学院', 300, 3, HAND_COUNT_A.students - 1, '是', HAND_COUNT_A.students, HAND_COUNT_A.visits]);
    expect(rowWhere(sheet, (c) => c[0] === '经济管理学院').slice(0, 7)).toEqual(['经济管理学院', 100, 1, 1, '是', 1, 1]);
    expect(rowWhere(sheet, (c) => c[0] === '合计').slice(0, 8)).toEqual(['合计', 400, 4, HAND_COUNT_A.students, '2 / 2', HAND_COUNT_A.students + 1, HAND_COUNT_A.visits + 1, HAND_COUNT_A.byMode.onsite + 1]);
  });
});

describe('who sees which statistics (D10)', () => {
  it('the school roll-up for school-wide readers: colleges and total add up', async () => {
    const response = await t.request('GET', route(), { as: f.principal });
    expect(response.status).toBe(200);
    const s = response.body;
    expect(s.colleges.map((c: { college: { code: string }; totals: { visits: number } }) => [c.college.code, c.totals.visits])).toEqual([['A', HAND_COUNT_A.visits], ['B', 1]]);
    expect(s.total.totals.visits).toBe(HAND_COUNT_A.visits + 1);
    // Each row names the college's leaders: whom the weekly progress workflow writes to.
    expect(s.colleges[0].leaders.map((l: { username: string }) => l.username)).toEqual([f.leaderA.username]);
    expect(s.studentAffairs.map((u: { username: string }) => u.username)).toEqual([f.officer.username]);
    expect(s.total.totals.visitorsByRole.counselor).toBe(HAND_COUNT_A.visitorsByRole.counselor + 1);
    expect(s.total.coverage).toEqual({ enrolled: 400, required: 4, visited: HAND_COUNT_A.students + 1, counted: HAND_COUNT_A.students, collegesMet: 2, colleges: 2 });
  });

  it('a college’s staff see their college only: another college is 404, the roll-up 403', async () => {
    expect((await t.request('GET', route('', 'B'), { as: f.counselorA })).status).toBe(404);
    expect((await t.request('GET', route('.xlsx', 'B'), { as: f.counselorA })).status).toBe(404);
    expect((await t.request('GET', route('', 'A'), { as: f.counselorB })).status).toBe(404);
    expect((await t.request('GET', route('', 'A'), { as: f.teacherA })).status).toBe(200);
    expect((await t.request('GET', route('', 'A'), { as: f.leaderA })).status).toBe(200);
    for (const who of [f.counselorA, f.leaderA, f.teacherA]) {
      const refused = await t.request('GET', route(), { as: who });
      expect([refused.status, refused.body.messageZh]).toEqual([403, '全校汇总仅限学工部和校领导查看；请用 ?college= 指定本学院']);
      expect((await t.request('GET', route('.xlsx'), { as: who })).status).toBe(403);
    }
    expect((await t.request('GET', route('', 'Z'), { as: f.officer })).status).toBe(404);
    expect((await t.request('GET', `/api/visit-campaigns/${'f'.repeat(24)}/statistics?college=A`, { as: f.officer })).status).toBe(404);
  });
});
