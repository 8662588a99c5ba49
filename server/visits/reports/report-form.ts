import { entryLabel } from '../../files/file-reference';
import { registerSubmissionHandler, selectedKeys } from '../../forms/submission-handlers';
import { VISIT_REPORT_PATH } from '../../forms/visit-evidence';
import { parseInput } from '../../http/contract/parse-input';
import { ApiError, problems, type FieldProblem } from '../../http/problem';
import { REPORT_SENSITIVE_FIELDS, REPORT_TEXT_FIELDS } from './report-vocabulary';
import { contentPatch, reportLabels, reportParams } from './reports.schemas';
import type { VisitReportsService } from './visit-reports.service';

type Row = Record<string, unknown>;

const isRow = (value: unknown): value is Row => !!value && typeof value === 'object' && !Array.isArray(value);
const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A Form.io datetime value (`2027-01-18T00:00:00+08:00`) or a plain day → `2027-01-18`, the day as picked; empty → null. */
function dayOf(value: unknown): string | null {
  const text = textOf(value).trim();
  if (!text) return null;
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : text;
}

/** A file component's entries → what the report stores: the URL the upload answered, else the id. */
function fileRefs(value: unknown): string[] {
  const entries = Array.isArray(value) ? value : value ? [value] : [];
  return entries.map((entry) => {
    if (typeof entry === 'string') return entry;
    if (!isRow(entry)) return '';
    if (typeof entry.url === 'string') return entry.url;
    const id = entry.id ?? (isRow(entry.data) ? entry.data.id : undefined);
    return typeof id === 'string' ? id : '';
  });
}

/**
 * The form's data as the body of `PATCH /api/visit-reports/:id`: the form's keys are the report's
 * content keys, select-boxes become lists, file entries their URLs. A sensitive part the form does not
 * carry (a writer who may not read it was never shown it) is left out, so the stored one stays.
 */
export function reportContentOf(data: Row): Row {
  const content: Row = { visitedOn: dayOf(data.visitedOn) };
  for (const key of REPORT_TEXT_FIELDS) content[key] = textOf(data[key]);
  for (const key of REPORT_SENSITIVE_FIELDS) if (typeof data[key] === 'string') content[key] = data[key];
  for (const key of ['orientations', 'safetyEducation', 'aidPolicies'] as const) content[key] = selectedKeys(data[key]);
  const loan = isRow(data.loan) ? data.loan : {};
  const intention = textOf(loan.repaymentIntention);
  const note = textOf(loan.note);
  content.loan = intention || loan.reminderGiven === true || note.trim() ? { ...(intention ? { repaymentIntention: intention } : {}), reminderGiven: loan.reminderGiven === true, note } : null;
  const followUp = isRow(data.followUp) ? data.followUp : {};
  content.followUp = { needed: followUp.needed === true, needs: followUp.needed === true ? textOf(followUp.needs) : '' };
  content.photos = fileRefs(data.photos);
  content.media = fileRefs(data.media);
  return content;
}

const FILE_FIELDS = { photos: '家访照片', media: '视频或音频' } as const;

/** The same upload named twice in a file component: refused as the evidence rule words it, before the save. */
function duplicateEntries(data: Row): FieldProblem[] {
  const found: FieldProblem[] = [];
  for (const [key, zh] of Object.entries(FILE_FIELDS)) {
    const entries = Array.isArray(data[key]) ? (data[key] as unknown[]) : [];
    const refs = fileRefs(entries);
    const seen = new Map<string, number>();
    refs.forEach((ref, i) => {
      const earlier = ref ? seen.get(ref) : undefined;
      if (earlier === undefined) {
        if (ref) seen.set(ref, i);
        return;
      }
      const [label, first] = [entryLabel(entries[i], i), entryLabel(entries[earlier], earlier)];
      found.push({ path: key, message: `${zh}${label.zh}与${first.zh}是同一个文件，重复的只计一次`, messageEn: `${key} ${label.en} is the same file as ${first.en}; duplicates count once`, rule: `${key}Duplicate` });
    });
  }
  return found;
}

/**
 * The service's problems → the form's components: a problem of one entry of a file list goes to its file
 * component, named as the form shows it; the uploads' own problems (not ours, taken meanwhile by another
 * report) go to the photos.
 */
function toFormProblem(problem: FieldProblem, data: Row): FieldProblem {
  const entry = /^(photos|media)\[(\d+)\]$/.exec(problem.path);
  if (entry) {
    const key = entry[1] as keyof typeof FILE_FIELDS;
    const index = Number(entry[2]);
    const label = entryLabel((Array.isArray(data[key]) ? (data[key] as unknown[]) : [])[index], index);
    return { ...problem, path: key, message: `${FILE_FIELDS[key]}${label.zh}${problem.message}`, messageEn: `${key} ${label.en}: ${problem.messageEn}` };
  }
  return problem.path === 'files' ? { ...problem, path: 'photos' } : problem;
}

/**
 * The visit-report form (附件3) writes the report through the reports service — the same code and rules
 * as `PATCH /api/visit-reports/:id` and `POST …/submit`. The form names its report in the hidden `report`
 * (and, for a change made from a known revision, `revision`, which acts as If-Match). "保存草稿" (Form.io
 * state `draft`) saves the draft; "提交" saves and submits it, against the campaign's evidence rule. The
 * service's problems come back as Form.io validation details on the form's components; a refusal without a
 * field (no such report, not a visitor, revision conflict) lands on `report` with its code as `rule`.
 *
 * The report is the record; the submission is only a receipt of what was sent (`metadata.linked`), and the
 * uploads belong to the report. A refused submission leaves no receipt, but a refused *submit* keeps what
 * was sent as the draft, so nothing typed on a phone is lost to a missing photo.
 */
export function registerVisitReportForm(reports: VisitReportsService): void {
  registerSubmissionHandler(
    VISIT_REPORT_PATH,
    async (actor, data, _submissionId, { state }) => {
      try {
        const id = textOf(data.report).trim();
        if (!id) throw problems.validation([{ path: 'report', message: '请从“我的家访”打开家访报告后填写（缺少家访报告编号）', messageEn: 'open the report from “My visits” (no report id)', rule: 'required' }]);
        const { id: reportId } = parseInput(reportParams, { id }, 'params', reportLabels);
        const revision = /^\d{1,9}$/.test(String(data.revision ?? '')) ? Number(data.revision) : undefined;
        const duplicates = duplicateEntries(data);
        if (duplicates.length) throw problems.validation(duplicates);
        const content = parseInput(contentPatch, reportContentOf(data), 'body', reportLabels);
        const saved = await reports.update(actor, reportId, content, revision);
        if (state === 'submitted') await reports.submit(actor, reportId, saved.revision);
        return { type: 'visitReport', id: reportId };
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        // An upload taken by another report meanwhile (409 CONFLICT of attachFiles) is a problem of the photos.
        const details: FieldProblem[] = error.details.length
          ? error.details.map((d) => toFormProblem(d, data))
          : [{ path: error.code === 'CONFLICT' ? 'photos' : 'report', message: error.messageZh, messageEn: error.messageEn, rule: error.code }];
        throw problems.validation(details);
      }
    },
    { receipt: true },
  );
}
