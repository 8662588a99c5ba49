import type { Response } from 'express';
import { excel } from '../files/document-libraries';
import { contentDisposition } from '../files/content-disposition';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface SheetColumn<Row> {
  header: string;
  width?: number;
  /** A cell's value: numbers stay numbers and dates stay dates, so the sheet can be sorted and summed. */
  value: (row: Row) => string | number | Date | null | undefined;
}

export interface Sheet<Row> {
  name: string;
  columns: SheetColumn<Row>[];
  rows: Row[];
  /** A line under the table, e.g. that the export stopped at its limit. */
  note?: string;
}

/** Writes the sheets as one workbook: a bold, frozen header row per sheet. */
export async function workbookOf(sheets: Sheet<any>[]): Promise<Buffer> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const ExcelJS = await excel();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '家校心桥 Home–School Bridge';
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.columns = sheet.columns.map((column) => ({ header: column.header, width: column.width ?? 16 }));
    worksheet.getRow(1).font = { bold: true };
    for (const row of sheet.rows) worksheet.addRow(sheet.columns.map((column) => column.value(row) ?? null));
    if (sheet.note) worksheet.addRows([[], [sheet.note]]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Answers a workbook as a download named `fileName` (UTF-8 name, ASCII fallback). */
export async function sendWorkbook(res: Response, fileName: string, sheets: Sheet<any>[]): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const body = await workbookOf(sheets);
  res.type(XLSX_TYPE).setHeader('Content-Disposition', contentDisposition(fileName, 'attachment'));
  res.setHeader('Cache-Control', 'no-store');
  res.send(body);
}
