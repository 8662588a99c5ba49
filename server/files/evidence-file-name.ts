import { extensionFor, isImage } from './content-type';

export interface EvidenceNameParts {
  studentNo: string;
  studentName: string;
  /** 1-based position of the file within its field (photos, media). */
  index: number;
  /** The sniffed content type: it gives the extension, whatever the uploaded name said. */
  contentType: string;
}

/** Characters that are not allowed (or are awkward) in file names on Windows, macOS and in ZIP archives. */
function safePart(value: string): string {
  return value.trim().replace(/[\\/:*?"<>|\x00-\x1f\x7f]/g, '_').replace(/\s+/g, ' ').slice(0, 60);
}

/**
 * D7 (seed 001 §8: "图片以学生名字命名"): evidence is named after the student, e.g.
 * `2024XX0002-陈静-家访-1.jpg`; video and audio `…-家访视频-1.mp4` / `…-家访音频-1.m4a`. The one naming
 * function for downloads, the stored submission and the materials package.
 */
export function evidenceFileName(parts: EvidenceNameParts): string {
  const label = isImage(parts.contentType) ? '家访' : parts.contentType.startsWith('audio/') ? '家访音频' : '家访视频';
  const person = [safePart(parts.studentNo), safePart(parts.studentName)].filter((p) => p !== '');
  return `${[...person, label, String(parts.index)].join('-')}.${extensionFor(parts.contentType)}`;
}
