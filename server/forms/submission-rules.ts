import type { FieldProblem } from '../http/problem';

/**
 * Cross-field rules that Form.io cannot express without evaluating JavaScript. They run on the server
 * after the definition's own validation, keyed by form path.
 */
export type SubmissionRule = (data: Record<string, unknown>) => FieldProblem[];

interface UploadedFile {
  name?: string;
  originalName?: string;
}

/** D7: at least 2 photos for an online (video/phone) visit, at least 4 for an on-site visit. */
export const MIN_VISIT_PHOTOS: Record<string, number> = { onsite: 4, video: 2, phone: 2 };

const visitReportPhotos: SubmissionRule = (data) => {
  const mode = typeof data.visitMode === 'string' ? data.visitMode : undefined;
  const required = mode ? MIN_VISIT_PHOTOS[mode] : undefined;
  if (!required) return [];
  const photos = Array.isArray(data.photos) ? (data.photos as UploadedFile[]) : [];
  if (photos.length >= required) return [];
  const modeZh = mode === 'onsite' ? '实地家访' : '网络家访';
  return [
    {
      path: 'photos',
      message: `${modeZh}至少需要 ${required} 张照片（已上传 ${photos.length} 张）`,
      messageEn: `A ${mode === 'onsite' ? 'on-site' : 'online'} visit needs at least ${required} photos (${photos.length} uploaded)`,
      rule: 'photoCount',
    },
  ];
};

/** D7: evidence photos are named after the student (张三-1.jpg …) whatever the uploaded file was called. */
export function namePhotosAfterStudent(data: Record<string, unknown>): void {
  const student = typeof data.studentName === 'string' ? data.studentName.trim() : '';
  if (!student || !Array.isArray(data.photos)) return;
  (data.photos as UploadedFile[]).forEach((photo, index) => {
    const source = photo.originalName ?? photo.name ?? '';
    const extension = /\.[A-Za-z0-9]{1,5}$/.exec(source)?.[0] ?? '';
    photo.name = `${student}-${index + 1}${extension.toLowerCase()}`;
  });
}

export const SUBMISSION_RULES: Record<string, SubmissionRule[]> = {
  visitReport: [visitReportPhotos],
};

export const SUBMISSION_NORMALISERS: Record<string, Array<(data: Record<string, unknown>) => void>> = {
  visitReport: [namePhotosAfterStudent],
};
