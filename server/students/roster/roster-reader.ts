import type { Cell } from 'exceljs';
import { Readable } from 'node:stream';
import { excel } from '../../files/document-libraries';

/** Column headers accepted in a roster (Chinese as people write them, or the English field names). */
const HEADERS: Record<string, string> = {
  学号: 'studentNo', 姓名: 'name', 性别: 'gender', 出生日期: 'birthDate', 院系: 'college', 院系代码: 'college', 学院: 'college',
  专业: 'major', 年级: 'grade', 班级: 'className', 辅导员: 'counselor', 家庭住址: 'homeAddress', 关注等级: 'careTier',
  特殊类别: 'specialCategories', 帮扶计划: 'supportPlan', 病史: 'medicalHistory', 心理状况: 'psychologicalFlags', 家庭经济情况: 'familyFinances',
  监护人姓名: 'guardian1Name', 监护人关系: 'guardian1Relation', 监护人电话: 'guardian1Phone',
  监护人2姓名: 'guardian2Name', 监护人2关系: 'guardian2Relation', 监护人2电话: 'guardian2Phone',
};
const FIELDS = new Set(Object.values(HEADERS));

export interface RosterRow {
  /** Spreadsheet row number as people see it (the header is row 1). */
  row: number;
  values: Record<string, unknown>;
}

export interface Roster {
  rows: RosterRow[];
  unknownHeaders: string[];
  missingHeaders: string[];
}

const REQUIRED_HEADERS = ['studentNo', 'name', 'gender', 'birthDate', 'college', 'major', 'grade', 'className'];

function cellValue(cell: Cell): unknown {
  const value = cell.value;
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('result' in value) return (value as { result: unknown }).result;
    if ('richText' in value) return (value as { richText: Array<{ text: string }> }).richText.map((r) => r.text).join('');
    if ('text' in value) return (value as { text: string }).text;
  }
  return value;
}

/** Reads the first sheet of an XLSX file, or a CSV file (UTF-8, with or without BOM), into rows. */
export async function readRoster(content: Buffer, kind: 'xlsx' | 'csv'): Promise<Roster> {
  const ExcelJS = await excel();
  const workbook = new ExcelJS.Workbook();
  const sheet = kind === 'xlsx'
    ? (await workbook.xlsx.load(content as unknown as ArrayBuffer), workbook.worksheets[0])
    : await workbook.csv.read(Readable.from([content.toString('utf8').replace(/^\uFEFF/, '')]));
  if (!sheet) return { rows: [], unknownHeaders: [], missingHeaders: REQUIRED_HEADERS };

  const columns = new Map<number, string>();
  const unknownHeaders: string[] = [];
  sheet.getRow(1).eachCell((cell, column) => {
    const header = String(cellValue(cell) ?? '').trim();
    const field = HEADERS[header] ?? (FIELDS.has(header) ? header : undefined);
    if (field) columns.set(column, field);
    else if (header) unknownHeaders.push(header);
  });
  const present = new Set(columns.values());
  const missingHeaders = REQUIRED_HEADERS.filter((f) => !present.has(f));

  const rows: RosterRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const values: Record<string, unknown> = {};
    columns.forEach((field, column) => {
      const value = cellValue(row.getCell(column));
      if (value !== undefined && String(value).trim() !== '') values[field] = value;
    });
    if (Object.keys(values).length > 0) rows.push({ row: rowNumber, values });
  });
  return { rows, unknownHeaders, missingHeaders };
}

/** Folds the guardian columns of a row into the archive's `guardians` list. */
export function guardiansOf(values: Record<string, unknown>): Record<string, unknown> {
  const { guardian1Name, guardian1Relation, guardian1Phone, guardian2Name, guardian2Relation, guardian2Phone, ...rest } = values;
  const guardians = [
    [guardian1Name, guardian1Relation, guardian1Phone],
    [guardian2Name, guardian2Relation, guardian2Phone],
  ]
    .filter(([n, r, p]) => n !== undefined || r !== undefined || p !== undefined)
    .map(([name, relation, phone]) => ({ name, relation, phone }));
  return guardians.length > 0 ? { ...rest, guardians } : rest;
}
