import type { Types } from 'mongoose';
import type { FieldProblem } from '../http/problem';
import type { Actor } from '../identity/actor';
import { inspectEntries, nameEvidenceAfterStudent, VISIT_REPORT_PATH } from './visit-evidence';
import { isVisitMode, visitEvidenceProblems, type PhotoMinimums } from './visit-photo-rule';

/** What a rule may know besides the data: who submits, which record is being changed, the settings. */
export interface RuleContext {
  actor: Actor;
  /** The submission being updated; undefined while creating one. */
  submissionId?: Types.ObjectId;
  /** D7 photo minimums per visit mode (HSB_VISIT_PHOTOS_*). */
  visitPhotoMinimums: PhotoMinimums;
}

/**
 * Cross-field rules that Form.io cannot express without evaluating JavaScript, or that need the service's
 * records (the uploads a report refers to). They run on the server after the definition's own
 * validation, keyed by form path.
 */
export type SubmissionRule = (data: Record<string, unknown>, context: RuleContext) => Promise<FieldProblem[]>;
/** Runs on valid data only, before it is stored. */
export type SubmissionNormaliser = (data: Record<string, unknown>, context: RuleContext) => Promise<void>;

/** D7: the photos (and optional video/audio) of a visit report, against the minimums of its mode. */
const visitReportEvidence: SubmissionRule = async (data, { actor, submissionId, visitPhotoMinimums }) => {
  if (!isVisitMode(data.visitMode)) return [];
  const [photos, media] = await Promise.all([
    inspectEntries(actor, data.photos, submissionId),
    inspectEntries(actor, data.media, submissionId),
  ]);
  return visitEvidenceProblems(data.visitMode, photos, media, visitPhotoMinimums);
};

export const SUBMISSION_RULES: Record<string, SubmissionRule[]> = {
  [VISIT_REPORT_PATH]: [visitReportEvidence],
};

export const SUBMISSION_NORMALISERS: Record<string, SubmissionNormaliser[]> = {
  [VISIT_REPORT_PATH]: [(data, { actor, submissionId }) => nameEvidenceAfterStudent(actor, data, submissionId)],
};

export async function submissionRuleProblems(formPath: string, data: Record<string, unknown>, context: RuleContext): Promise<FieldProblem[]> {
  const found = await Promise.all((SUBMISSION_RULES[formPath] ?? []).map((rule) => rule(data, context)));
  return found.flat();
}

export async function normaliseSubmission(formPath: string, data: Record<string, unknown>, context: RuleContext): Promise<void> {
  for (const normalise of SUBMISSION_NORMALISERS[formPath] ?? []) await normalise(data, context);
}
