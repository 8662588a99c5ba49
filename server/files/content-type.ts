/** Content types accepted for evidence (photos, video, audio) and documents, recognised by their first bytes. */
const SIGNATURES: Array<{ type: string; test: (b: Buffer) => boolean }> = [
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/webp', test: (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP' },
  { type: 'image/heic', test: (b) => b.toString('latin1', 4, 8) === 'ftyp' && /^(heic|heix|mif1)$/.test(b.toString('latin1', 8, 12)) },
  { type: 'audio/mp4', test: (b) => b.toString('latin1', 4, 8) === 'ftyp' && b.toString('latin1', 8, 11) === 'M4A' },
  { type: 'video/mp4', test: (b) => b.toString('latin1', 4, 8) === 'ftyp' },
  { type: 'audio/mpeg', test: (b) => b.toString('latin1', 0, 3) === 'ID3' || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0) },
  { type: 'application/pdf', test: (b) => b.toString('latin1', 0, 5) === '%PDF-' },
];

export const ACCEPTED_TYPES = SIGNATURES.map((s) => s.type);

/** The real type of the content, or undefined when it is not one we accept (the declared type is not trusted). */
export function sniffContentType(head: Buffer): string | undefined {
  return SIGNATURES.find((s) => s.test(head))?.type;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'audio/mp4': 'm4a',
  'video/mp4': 'mp4',
  'audio/mpeg': 'mp3',
  'application/pdf': 'pdf',
};

/** The file extension (without dot) that matches a sniffed content type. */
export function extensionFor(contentType: string): string {
  return EXTENSIONS[contentType] ?? 'bin';
}

export const isImage = (contentType: string): boolean => contentType.startsWith('image/');
export const isAudioOrVideo = (contentType: string): boolean => contentType.startsWith('video/') || contentType.startsWith('audio/');

/** What a person calls the type, for messages: 图片 / 视频 / 音频 / PDF 文件. */
export function kindOf(contentType: string): { zh: string; en: string } {
  if (isImage(contentType)) return { zh: '图片', en: 'an image' };
  if (contentType.startsWith('video/')) return { zh: '视频', en: 'a video' };
  if (contentType.startsWith('audio/')) return { zh: '音频', en: 'an audio recording' };
  if (contentType === 'application/pdf') return { zh: 'PDF 文件', en: 'a PDF' };
  return { zh: '文件', en: 'a file' };
}
