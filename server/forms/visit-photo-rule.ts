import { isAudioOrVideo, isImage, kindOf } from '../files/content-type';
import type { UploadFacts } from '../files/files.service';
import type { FieldProblem } from '../http/problem';

export const VISIT_MODES = ['onsite', 'video', 'phone'] as const;
export type VisitMode = (typeof VISIT_MODES)[number];

/** Fewest distinct photos per visit mode: the service's settings, or later a campaign's own rule. */
export type PhotoMinimums = Record<VisitMode, number>;

/** One entry of a file field, after the upload it refers to was looked up. */
export interface InspectedEntry {
  /** How the entry is named in messages (`第 2 项（IMG_0002.jpg）`). */
  label: { zh: string; en: string };
  /** False when the entry does not point at an upload of this service (a foreign URL, no URL at all). */
  ours: boolean;
  /** The upload, when it exists. */
  file?: UploadFacts;
}

const MODE_TEXT: Record<VisitMode, { zh: string; en: string; evidenceZh: string; evidenceEn: string }> = {
  onsite: { zh: '实地家访', en: 'An on-site visit', evidenceZh: '照片', evidenceEn: 'photos' },
  video: { zh: '网络视频家访', en: 'An online video visit', evidenceZh: '照片', evidenceEn: 'photos (screenshots of the video call count)' },
  // A phone call has no scene to photograph: its evidence is a screenshot of the call log.
  phone: { zh: '电话家访', en: 'A phone visit', evidenceZh: '通话记录截图', evidenceEn: 'screenshots of the call log' },
};

interface FieldSpec {
  key: string;
  zh: string;
  en: string;
  accepts: (contentType: string) => boolean;
  /** What the entry should have been and where the other kind goes. */
  wrongKind: { zh: string; en: string };
}

const PHOTOS: FieldSpec = {
  key: 'photos',
  zh: '家访照片',
  en: 'Photo',
  accepts: isImage,
  wrongKind: { zh: '不是图片，不计入照片（视频或音频请放在“视频或音频”中）', en: 'is not an image and does not count as a photo (video or audio goes under media)' },
};

const MEDIA: FieldSpec = {
  key: 'media',
  zh: '视频或音频',
  en: 'Media',
  accepts: isAudioOrVideo,
  wrongKind: { zh: '不是视频或音频（照片请放在“家访照片”中）', en: 'is not a video or audio recording (photos go under photos)' },
};

/**
 * Checks each entry of a file field: it must be an upload of ours that this report may use, of the
 * field's kind, and not the same file (or the same bytes) as an earlier entry. Returns the problems and
 * how many distinct, acceptable files the field holds.
 */
function checkEntries(field: FieldSpec, entries: InspectedEntry[]): { problems: FieldProblem[]; distinct: number } {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, string>();
  let distinct = 0;
  const problem = (entry: InspectedEntry, zh: string, en: string, rule: string) =>
    problems.push({ path: field.key, message: `${field.zh}${entry.label.zh}${zh}`, messageEn: `${field.en} ${entry.label.en} ${en}`, rule });

  for (const entry of entries) {
    const file = entry.file;
    if (!entry.ours) {
      problem(entry, '不是本系统上传的文件，不计入', 'is not an upload of this service and does not count', `${field.key}Source`);
    } else if (!file || !file.usable) {
      problem(entry, '引用了不存在或无权使用的上传文件', 'refers to an upload that does not exist or may not be used in this report', 'fileOwner');
    } else if (!field.accepts(file.contentType)) {
      const kind = kindOf(file.contentType);
      problem(entry, `是${/^[A-Za-z]/.test(kind.zh) ? ' ' : ''}${kind.zh}，${field.wrongKind.zh}`, `is ${kind.en} and ${field.wrongKind.en}`, `${field.key}Type`);
    } else {
      const earlier = seen.get(file.id) ?? (file.sha256 ? seen.get(file.sha256) : undefined);
      if (earlier) {
        problem(entry, `与${earlier}是同一个文件，重复的只计一次`, `is the same file as ${earlier}; duplicates count once`, `${field.key}Duplicate`);
      } else {
        distinct += 1;
        seen.set(file.id, entry.label.zh);
        if (file.sha256) seen.set(file.sha256, entry.label.zh);
      }
    }
  }
  return { problems, distinct };
}

/**
 * D7 evidence of a visit report: every photo is a distinct image uploaded to this service, at least the
 * mode's minimum of them; video and audio are optional but, when given, are ours too. The minimums are
 * an input so that a campaign can bring its own.
 */
export function visitEvidenceProblems(mode: VisitMode, photos: InspectedEntry[], media: InspectedEntry[], minimums: PhotoMinimums): FieldProblem[] {
  const checkedPhotos = checkEntries(PHOTOS, photos);
  const checkedMedia = checkEntries(MEDIA, media);
  const required = minimums[mode];
  const text = MODE_TEXT[mode];
  const count: FieldProblem[] =
    checkedPhotos.distinct >= required
      ? []
      : [{
          path: PHOTOS.key,
          message: `${text.zh}至少需要 ${required} 张${text.evidenceZh}（有效 ${checkedPhotos.distinct} 张）`,
          messageEn: `${text.en} needs at least ${required} distinct ${text.evidenceEn} uploaded here (${checkedPhotos.distinct} valid)`,
          rule: 'photoCount',
        }];
  return [...count, ...checkedPhotos.problems, ...checkedMedia.problems];
}

export function isVisitMode(value: unknown): value is VisitMode {
  return typeof value === 'string' && (VISIT_MODES as readonly string[]).includes(value);
}
