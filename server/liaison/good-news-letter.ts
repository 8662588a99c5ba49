import { DateTime } from 'luxon';
import { ZONE } from '../calendar/academic-calendar';

export interface LetterData {
  studentName: string;
  collegeName: string;
  className: string;
  title: string;
  date: Date;
  guardianName?: string;
}

/** The words of a 喜报, shared by the HTML print view and the PDF. */
export interface LetterText {
  heading: string;
  greeting: string;
  /** Paragraphs as runs of plain and emphasised text. */
  paragraphs: Array<Array<{ text: string; strong?: boolean }>>;
  signature: string[];
}

export function letterText(data: LetterData, today: Date = new Date()): LetterText {
  const day = DateTime.fromJSDate(data.date).setZone(ZONE).toFormat('yyyy年M月d日');
  return {
    heading: '喜报',
    greeting: data.guardianName ? `尊敬的${data.guardianName}家长：` : '尊敬的家长：',
    paragraphs: [
      [
        { text: '贵子女 ' },
        { text: data.studentName, strong: true },
        { text: ` 同学（${data.collegeName} ${data.className}）于 ${day} 荣获 ` },
        { text: data.title, strong: true },
        { text: '。这是其勤奋学习、积极进取的结果，也离不开您的关心与支持。特此报喜，向您表示衷心的祝贺！' },
      ],
      [{ text: '希望您继续关心、鼓励孩子，家校携手，共同促进孩子健康成长、全面发展。' }],
    ],
    signature: [data.collegeName, DateTime.fromJSDate(today).setZone(ZONE).toFormat('yyyy年M月d日')],
  };
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** B5: the 喜报 as a printable A4 page. */
export function renderGoodNewsLetter(data: LetterData): string {
  const letter = letterText(data);
  const paragraphs = letter.paragraphs
    .map((runs) => `<p>${runs.map((r) => (r.strong ? `<strong>${escape(r.text)}</strong>` : escape(r.text))).join('')}</p>`)
    .join('\n  ');
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
  <h1>${letter.heading}</h1>
  <p class="greeting">${escape(letter.greeting)}</p>
  ${paragraphs}
  <div class="sign">${letter.signature.map(escape).join('<br>')}</div>
</div></body></html>`;
}
