import { ApiError, problems } from '../http/problem';
import type { Types } from 'mongoose';
import type { Actor } from '../identity/actor';

/**
 * What a form's submission does beyond being stored: a domain module registers a handler for its form
 * path (the archive form writes the student archive, the contact-log form logs a contact…). The forms
 * module stays ignorant of those collections; it only calls the handler after validation.
 */
export type SubmissionHandler = (actor: Actor, data: Record<string, unknown>, submissionId: Types.ObjectId, context: SubmissionContext) => Promise<{ type: string; id: string }>;

/** How the submission was sent: Form.io's `state` (a button with `state: "draft"` saves a draft). */
export interface SubmissionContext {
  state: 'draft' | 'submitted';
}

/**
 * A handler creates its record under the submission's id (or keyed by it), so running it twice for one
 * submission gives one record; `discard` takes that record back when its submission could not be kept.
 */
export interface SubmissionHandlerOptions {
  /** The service's field names → the form's component keys, so errors land under the right field. */
  fieldPaths?: Record<string, string>;
  discard?: (submissionId: Types.ObjectId) => Promise<void>;
  /**
   * The submission is only a receipt of the record the handler wrote: the uploads it names belong to that
   * record (the handler links them), and it is never changed in place — a change is a new submission.
   */
  receipt?: boolean;
}

/** The keys ticked in a Form.io select-boxes value (`{ grades: true, conduct: false }` → `['grades']`). */
export function selectedKeys(value: unknown): string[] {
  return value && typeof value === 'object' ? Object.entries(value as Record<string, unknown>).filter(([, on]) => on === true).map(([key]) => key) : [];
}

const handlers = new Map<string, { handler: SubmissionHandler; fieldPaths: Record<string, string>; discard?: SubmissionHandlerOptions['discard']; receipt: boolean }>();

export function registerSubmissionHandler(formPath: string, handler: SubmissionHandler, options: SubmissionHandlerOptions = {}): void {
  handlers.set(formPath, { handler, fieldPaths: options.fieldPaths ?? {}, discard: options.discard, receipt: options.receipt ?? false });
}

export function hasSubmissionHandler(formPath: string): boolean {
  return handlers.has(formPath);
}

/** Whether a form's submissions are receipts of the record its handler writes (see `receipt`). */
export function submissionIsReceipt(formPath: string): boolean {
  return handlers.get(formPath)?.receipt ?? false;
}

export async function discardHandledRecord(formPath: string, submissionId: Types.ObjectId): Promise<void> {
  await handlers.get(formPath)?.discard?.(submissionId);
}

function formPathOf(servicePath: string, fieldPaths: Record<string, string>): string {
  const [head, ...rest] = servicePath.split('.');
  const match = /^(\w+)(\[\d+\])?$/.exec(head ?? '');
  if (!match) return servicePath;
  const mapped = fieldPaths[match[1]!] ?? match[1]!;
  const tail = rest.map((part) => fieldPaths[`${match[1]}.${part}`] ?? part);
  return [mapped + (match[2] ?? ''), ...tail].join('.');
}

export async function runSubmissionHandler(formPath: string, actor: Actor, data: Record<string, unknown>, submissionId: Types.ObjectId, context: SubmissionContext = { state: 'submitted' }) {
  const entry = handlers.get(formPath);
  if (!entry) return undefined;
  try {
    return await entry.handler(actor, data, submissionId, context);
  } catch (error) {
    if (error instanceof ApiError && error.details.length > 0) {
      throw problems.validation(error.details.map((d) => ({ ...d, path: formPathOf(d.path, entry.fieldPaths) })));
    }
    throw error;
  }
}
