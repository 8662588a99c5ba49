import type { Types } from 'mongoose';
import type { FieldProblem } from '../http/problem';
import type { Actor } from '../identity/actor';
import type { PhotoMinimums } from './visit-photo-rule';

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

/**
 * None at the moment: the visit report's evidence rule (D7) is the reports service's own, applied when the
 * visit-report form submits its report (server/visits/reports/report-form.ts).
 */
export const SUBMISSION_RULES: Record<string, SubmissionRule[]> = {};

export const SUBMISSION_NORMALISERS: Record<string, SubmissionNormaliser[]> = {};

export async function submissionRuleProblems(formPath: string, data: Record<string, unknown>, context: RuleContext): Promise<FieldProblem[]> {
  const found = await Promise.all((SUBMISSION_RULES[formPath] ?? []).map((rule) => rule(data, context)));
  return found.flat();
}

export async function normaliseSubmission(formPath: string, data: Record<string, unknown>, context: RuleContext): Promise<void> {
  for (const normalise of SUBMISSION_NORMALISERS[formPath] ?? []) await normalise(data, context);
}
