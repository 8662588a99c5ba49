import { DateTime } from 'luxon';
import { ZONE } from '../calendar/academic-calendar';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface LetterData {
  studentName: string;
  collegeName: string;
  className: string;
  title: string;
  date: Date;
  guardianName?: string;
}

/** B5: a printable 喜报 (A4, prints as it shows; the browser's "Save as PDF" gives the PDF). */
export function renderGoodNewsLetter(data: LetterData): string {
  const day = DateTime.fromJSDate(data.date).setZone(ZONE).toFormat('yyyy年M月d日');
  const today = DateTime.now().setZone(ZONE).toFormat('yyyy年M月d日');
  const greeting = data.guardianName ? `尊敬的${escape(data.guardianName)}家长：` : '尊敬的家长：';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>喜报 · ${escape(data.studentName)}</title>
<style>
  @page { size: A4; margin: 20mm; }
  body { font-family: "Noto Serif CJK SC", "Songti SC", serif; color: #8b0000; }
  .letter { border: 6px double #c00; padding: 24mm 18mm; min-height: 200mm; }
  h1 { text-align: center; font-size: 48pt; letter-spacing: 24pt; margin: 0 0 16mm; }
  p { font-size: 16pt; line-height: 2; color: #222; text-indent: 2em; }
  p.greeting { text-indent: 0; }
  .sign { text-align: right; margin-top: 24mm; color: #222; font-size: 15pt; }
</style></head>
<body><div class="letter">
  <h1>喜报</h1>
  <p class="greeting">${greeting}</p>
  <p>贵子女 <strong>${escape(data.studentName)}</strong> 同学（${escape(data.collegeName)} ${escape(data.className)}）于 ${day} 荣获 <strong>${escape(data.title)}</strong>。这是其勤奋学习、积极进取的结果，也离不开您的关心与支持。特此报喜，向您表示衷心的祝贺！</p>
  <p>希望您继续关心、鼓励孩子，家校携手，共同促进孩子健康成长、全面发展。</p>
  <div class="sign">${escape(data.collegeName)}<br>${today}</div>
</div></body></html>`;
}
