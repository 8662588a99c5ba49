import type { Component } from '@formio/core';
import { Types, type HydratedDocument } from 'mongoose';
import { recordAudit } from '../audit/audit.service';
import { publishEvent } from '../events/event-bus';
import { registerDownloadNamer } from '../files/download-names';
import { fileIdOf } from '../files/file-reference';
import { attachFiles } from '../files/files.service';
import { ApiError, problems } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertMayRead, assertMayWrite, can, scopeFilter } from '../identity/policy';
import type { FieldCipher } from '../security/field-cipher';
import { keepUnsentSealedValues, sealedPaths, sealFormData, unsealFormData, type SealedValues } from '../security/sensitive-data';
import { fileKeys, parseDefinition } from './form-definition';
import { formVersion, latestVersion, saveVersion } from './form-catalog';
import { FormModel, type FormVersion } from './form.model';
import { discardHandledRecord, hasSubmissionHandler, runSubmissionHandler, submissionIsReceipt } from './submission-handlers';
import { normaliseSubmission, submissionRuleProblems, type RuleContext } from './submission-rules';
import { SubmissionModel, type Submission } from './submission.model';
import { validateWithDefinition } from './submission-validator';
import { withUploadLimit } from './upload-size-limit';
import { visitEvidenceDownloadName } from './visit-evidence';
import type { PhotoMinimums } from './visit-photo-rule';
import { pageWithTotal } from '../db/page-with-total';

type FormDoc = HydratedDocument<FormVersion>;
type SubmissionDoc = HydratedDocument<Submission>;

export interface FormsServiceDeps {
  cipher: FieldCipher;
  zh: Record<string, string>;
  /** Largest upload the service accepts; served file components never promise more. */
  uploadMaxBytes: number;
  /** D7 photo minimums per visit mode. */
  visitPhotoMinimums: PhotoMinimums;
}

/** A form in Form.io's JSON shape (what @formio/js loads), its file size limits held to the upload limit. */
export function formJson(form: FormDoc, uploadMaxBytes: number) {
  return {
    _id: String(form._id),
    type: 'form',
    title: form.title,
    name: form.name,
    path: form.path,
    display: form.display,
    components: withUploadLimit(form.components as Component[], uploadMaxBytes),
    settings: form.settings,
    version: form.version,
    created: form.createdAt,
    modified: form.updatedAt,
  };
}

/** Resolves `/form/:id` where id is a version's ObjectId or the form's path alias (latest version). */
export async function findForm(idOrPath: string): Promise<FormDoc> {
  const form = Types.ObjectId.isValid(idOrPath) && /^[0-9a-f]{24}$/.test(idOrPath)
    ? await formVersion(idOrPath)
    : await latestVersion(idOrPath);
  if (!form) throw problems.notFound('Form', '表单');
  return form;
}

export async function listForms() {
  const forms = await FormModel.find({}).sort({ path: 1, version: -1 });
  const latest = new Map<string, FormDoc>();
  for (const form of forms) if (!latest.has(form.path)) latest.set(form.path, form);
  return [...latest.values()];
}

export async function listVersions(formPath: string) {
  return FormModel.find({ path: formPath }).sort({ version: -1 }).select('path version title source createdAt createdBy hash');
}

/** Saves an edited definition (builder) as a new version of the form. */
export async function saveEditedForm(actor: Actor, idOrPath: string, body: unknown) {
  const current = await findForm(idOrPath);
  const definition = parseDefinition({ ...(body as object), path: current.path }, 'request body');
  return saveVersion(definition, 'builder', actor.userId);
}

export class FormsService {
  constructor(private readonly deps: FormsServiceDeps) {
    registerDownloadNamer(visitEvidenceDownloadName);
  }

  get uploadMaxBytes(): number {
    return this.deps.uploadMaxBytes;
  }

  private async validated(form: FormDoc, rawData: unknown, actor: Actor, submissionId?: Types.ObjectId) {
    if (!rawData || typeof rawData !== 'object' || Array.isArray(rawData)) {
      throw problems.validation([{ path: 'data', message: '缺少提交数据', messageEn: 'data must be an object', rule: 'required' }]);
    }
    const components = form.components as Component[];
    const outcome = await validateWithDefinition(components, rawData as Record<string, unknown>, this.deps.zh);
    const context: RuleContext = { actor, submissionId, visitPhotoMinimums: this.deps.visitPhotoMinimums };
    const all = [...outcome.problems, ...(await submissionRuleProblems(form.path, outcome.data, context))];
    if (all.length > 0) throw problems.validation(all);
    await normaliseSubmission(form.path, outcome.data, context);
    return outcome.data;
  }

  /** Moves sensitive values, nested ones included, out of `data` into encrypted `sealed` entries. */
  private seal(form: FormDoc, data: Record<string, unknown>): SealedValues {
    return sealFormData(form.components as Component[], data, this.deps.cipher);
  }

  private referencedFiles(form: FormDoc, data: Record<string, unknown>): string[] {
    return fileKeys(form.components as Component[]).flatMap((key) => {
      const value = data[key];
      const items = Array.isArray(value) ? value : value ? [value] : [];
      return items.map((item) => fileIdOf(item)).filter((id): id is string => !!id);
    });
  }

  /**
   * The submission as the actor may see it: sensitive fields decrypted (and the read audited) for roles
   * with `sensitive:read`, otherwise left out and listed in `redacted`.
   */
  async present(actor: Actor, submission: SubmissionDoc) {
    const data = structuredClone(submission.data as Record<string, unknown>);
    const sealed = (submission.sealed ?? {}) as SealedValues;
    const paths = sealedPaths(sealed);
    const redacted: string[] = [];
    if (paths.length > 0) {
      if (can(actor, 'sensitive:read')) {
        unsealFormData(data, sealed, this.deps.cipher);
        await recordAudit({ action: 'read-sensitive', resourceType: 'submission', resourceId: String(submission._id), fields: paths, college: submission.college });
      } else {
        redacted.push(...paths);
      }
    }
    return this.envelope(submission, data, redacted);
  }

  /**
   * Stores a submission and, for forms that drive a domain record, that record — together or not at all,
   * without transactions: the submission is stored first as `processing` (invisible to reads), the
   * handler creates its record under the submission's id, and only then does the submission count. A
   * handler that fails leaves nothing; a process that dies in between is cleaned up by
   * `discardUnfinishedSubmissions`.
   */
  async create(actor: Actor, idOrPath: string, body: { data?: unknown; state?: unknown; metadata?: unknown }) {
    const form = await findForm(idOrPath);
    const data = await this.validated(form, body.data, actor);
    // The handler sees the sensitive values; `seal` then moves them out of `data` into ciphertext.
    const handlerData = structuredClone(data);
    // A receipt's uploads are the record's: its handler links them.
    const files = submissionIsReceipt(form.path) ? [] : this.referencedFiles(form, data);
    const sealed = this.seal(form, data);
    const state = body.state === 'draft' ? 'draft' : 'submitted';
    const handled = hasSubmissionHandler(form.path);
    const submission = new SubmissionModel({
      form: form._id,
      formPath: form.path,
      formVersion: form.version,
      data,
      sealed,
      owner: actor.userId,
      college: actor.college,
      state: handled ? 'processing' : state,
      metadata: body.metadata && typeof body.metadata === 'object' ? body.metadata : {},
    });
    await attachFiles(actor, files, submission);
    await submission.save();
    if (handled) {
      try {
        const linked = await runSubmissionHandler(form.path, actor, handlerData, submission._id, { state });
        submission.state = state;
        submission.metadata = { ...(submission.metadata as object), linked };
        await submission.save();
      } catch (error) {
        await discardHandledRecord(form.path, submission._id).catch(() => undefined);
        await SubmissionModel.deleteOne({ _id: submission._id }).catch(() => undefined);
        throw error;
      }
    }
    await this.announce('submission.created', submission);
    return this.present(actor, submission);
  }

  async get(actor: Actor, idOrPath: string, submissionId: string) {
    const form = await findForm(idOrPath);
    return this.present(actor, await this.readable(actor, form.path, submissionId));
  }

  private async readable(actor: Actor, formPath: string, submissionId: string): Promise<SubmissionDoc> {
    const submission = Types.ObjectId.isValid(submissionId) ? await SubmissionModel.findById(submissionId) : null;
    const found = submission && submission.formPath === formPath && submission.state !== 'processing' ? submission : null;
    return assertMayRead(actor, 'submission', found, 'Submission', '提交记录');
  }

  /** Updates validate against the version the submission was made with; sealed fields not sent are kept. */
  async update(actor: Actor, idOrPath: string, submissionId: string, body: { data?: unknown }) {
    const requested = await findForm(idOrPath);
    const existing = assertMayWrite(actor, 'submission', await this.readable(actor, requested.path, submissionId), 'Submission', '提交记录');
    if (submissionIsReceipt(existing.formPath)) {
      throw new ApiError(409, 'SUBMISSION_IS_RECEIPT', 'This submission is the receipt of the record it wrote: send a new submission to change that record', '该提交记录只是对应业务记录的回执，不能修改；请重新提交表单以修改记录');
    }
    const version = await formVersion(existing.form);
    if (!version) throw problems.notFound('Form version', '表单版本');
    const incoming = structuredClone((body.data ?? {}) as Record<string, unknown>);
    // A role that cannot see sensitive values cannot have erased them by leaving them out.
    keepUnsentSealedValues(incoming, existing.data as Record<string, unknown>, (existing.sealed ?? {}) as SealedValues, this.deps.cipher);
    const data = await this.validated(version, incoming, actor, existing._id);
    const files = this.referencedFiles(version, data);
    const sealed = this.seal(version, data);
    await attachFiles(actor, files, existing);
    existing.data = data;
    existing.sealed = sealed;
    existing.markModified('data');
    existing.markModified('sealed');
    await existing.save();
    await this.announce('submission.updated', existing);
    return this.present(actor, existing);
  }

  /** Paged, newest first (Form.io's `sort=-created`) unless `oldestFirst`; `state` and `owner` as the renderer asks for drafts. */
  async list(actor: Actor, idOrPath: string, query: { limit: number; skip: number; state?: 'submitted' | 'draft'; owner?: string; oldestFirst?: boolean }) {
    const form = await findForm(idOrPath);
    const filter: Record<string, unknown> = { formPath: form.path, state: query.state ?? { $ne: 'processing' }, ...scopeFilter(actor, 'submission') };
    if (query.owner) filter.owner = query.owner;
    const order = query.oldestFirst ? 1 : -1;
    const page = query;
    const { items, total } = await pageWithTotal(SubmissionModel.find(filter).sort({ createdAt: order, _id: order }).skip(page.skip).limit(page.limit), () => SubmissionModel.countDocuments(filter), page.skip, page.limit);
    // Listings never decrypt: sensitive values are read one record at a time, each read audited.
    const presented = items.map((s) => this.envelope(s, s.data as Record<string, unknown>, sealedPaths(s.sealed as SealedValues)));
    return { items: presented, total };
  }

  /** Events carry the non-sensitive data only; sealed fields are read through the API, audited. */
  private async announce(type: 'submission.created' | 'submission.updated', submission: SubmissionDoc): Promise<void> {
    await publishEvent({
      type,
      college: submission.college,
      owner: submission.owner,
      payload: this.envelope(submission, submission.data as Record<string, unknown>, sealedPaths(submission.sealed as SealedValues)),
    });
  }

  /** The Form.io submission shape shared by single reads and listings. */
  private envelope(submission: SubmissionDoc, data: Record<string, unknown>, redacted: string[]) {
    return {
      _id: String(submission._id),
      form: String(submission.form),
      formPath: submission.formPath,
      formVersion: submission.formVersion,
      owner: String(submission.owner),
      college: submission.college ? String(submission.college) : null,
      state: submission.state,
      data,
      redacted,
      metadata: submission.metadata,
      created: submission.createdAt,
      modified: submission.updatedAt,
    };
  }
}

/**
 * Submissions left `processing` by a process that died between storing them and finishing their record:
 * the record (if any) and the submission are taken back. Runs at start and every minute, and only on
 * submissions older than `olderThanMs`, so that requests still running in another process are left alone.
 */
export async function discardUnfinishedSubmissions(olderThanMs: number, log: (message: string) => void): Promise<void> {
  const stale = await SubmissionModel.find({ state: 'processing', createdAt: { $lt: new Date(Date.now() - olderThanMs) } }).select('_id formPath').lean();
  for (const submission of stale) {
    await discardHandledRecord(submission.formPath, submission._id);
    await SubmissionModel.deleteOne({ _id: submission._id });
  }
  if (stale.length) log(`discarded ${stale.length} submission(s) whose request did not complete`);
}
