import { recordAudit } from '../../../audit/audit.service';
import { createOnce } from '../../../db/create-once';
import type { FieldProblem } from '../../../http/problem';
import type { Actor } from '../../../identity/actor';
import { maySeeSensitive } from '../../../identity/policy';
import type { FieldCipher } from '../../../security/field-cipher';
import { StudentModel } from '../../../students/student.model';
import type { Types } from 'mongoose';
import { ArchiveProposalModel, proposalId } from './archive-proposal.model';
import { PROPOSABLE_FIELDS, comparableValue, isSealedField, parseProposals, plainValue, sealedProposalKey, type PlainProposals, type ProposableField } from './proposal-fields';

/** What of a report the proposals need. */
export interface ProposingReport {
  _id: string;
  campaign: Types.ObjectId;
  college: Types.ObjectId;
  student: Types.ObjectId;
  studentNo: string;
  studentName: string;
  version: number;
  proposals?: unknown;
  sealed?: unknown;
  submittedAt?: Date | null;
  submittedBy?: { user?: Types.ObjectId | null; username?: string | null; displayName?: string | null } | null;
}

/**
 * A draft's `proposals` part, as a save gives it: the plain proposals replace the stored ones; a sealed
 * field left out stays as it was (a visitor who may not read it cannot have erased it), an empty one is
 * removed. `sealed` (the report's ciphertexts) is changed in place.
 */
export function draftProposals(raw: Record<string, unknown>, sealed: Record<string, string>, cipher: FieldCipher): { plain: PlainProposals; problems: FieldProblem[] } {
  const parsed = parseProposals(raw);
  for (const [field, value] of Object.entries(parsed.sealed) as Array<[ProposableField, string | null]>) {
    if (value) sealed[sealedProposalKey(field)] = cipher.encrypt(value);
    else delete sealed[sealedProposalKey(field)];
  }
  return { plain: parsed.plain, problems: parsed.problems };
}

/** The proposals of a report as this actor may see them: sealed ones opened (and the read audited) only within the sensitive scope. */
export async function presentProposals(actor: Actor, report: ProposingReport, cipher: FieldCipher, resourceId: string): Promise<{ proposals: Record<string, unknown>; redacted: string[] }> {
  const plain = (report.proposals ?? {}) as Record<string, unknown>;
  const sealed = (report.sealed ?? {}) as Record<string, string>;
  const proposals: Record<string, unknown> = {};
  for (const field of PROPOSABLE_FIELDS) if (!isSealedField(field) && plain[field] !== undefined) proposals[field] = plain[field];
  const held = PROPOSABLE_FIELDS.filter((f) => isSealedField(f) && sealed[sealedProposalKey(f)]);
  if (held.length === 0) return { proposals, redacted: [] };
  const student = await StudentModel.findById(report.student).select('college counselor').lean();
  if (!student || !maySeeSensitive(actor, student)) return { proposals, redacted: held.map((f) => `proposals.${f}`) };
  for (const field of held) proposals[field] = cipher.decrypt(sealed[sealedProposalKey(field)]!);
  await recordAudit({ action: 'read-sensitive', resourceType: 'visitReport', resourceId, fields: held.map((f) => `proposals.${f}`), college: report.college });
  return { proposals, redacted: [] };
}

/**
 * D8: a submitted version's proposals become pending archive change proposals, each under
 * `<report>:v<version>:<field>` (a repeated submission proposes nothing new). A value the archive already
 * holds proposes nothing. The pending proposals of earlier versions are superseded by this one.
 */
export async function recordProposals(report: ProposingReport, cipher: FieldCipher): Promise<void> {
  const plain = (report.proposals ?? {}) as Record<string, unknown>;
  const sealed = (report.sealed ?? {}) as Record<string, string>;
  const fields = PROPOSABLE_FIELDS.filter((f) => (isSealedField(f) ? !!sealed[sealedProposalKey(f)] : plain[f] !== undefined));
  if (fields.length > 0) {
    const student = await StudentModel.findById(report.student).lean();
    if (student) {
      const archiveSealed = (student.sealed ?? {}) as Record<string, string>;
      for (const field of fields) {
        const sensitive = isSealedField(field);
        const proposed = sensitive ? (cipher.decrypt(sealed[sealedProposalKey(field)]!) as string) : plain[field];
        const current = sensitive ? (archiveSealed[field] ? (cipher.decrypt(archiveSealed[field]) as string) : null) : plainValue(field, (student as Record<string, unknown>)[field]);
        if (comparableValue(field, proposed) === comparableValue(field, current)) continue;
        const doc = new ArchiveProposalModel({
          _id: proposalId(report._id, report.version, field), report: report._id, version: report.version, campaign: report.campaign, student: report.student,
          studentNo: report.studentNo, studentName: report.studentName, college: report.college, field, sensitive,
          value: sensitive ? null : proposed, basis: sensitive ? null : current,
          sealed: sensitive ? { value: cipher.encrypt(proposed), ...(current === null ? {} : { basis: cipher.encrypt(current) }) } : {},
          archiveRevision: student.revision ?? 0, state: 'pending', revision: 1,
          proposedAt: report.submittedAt ?? new Date(), proposedBy: report.submittedBy ?? {},
        });
        await createOnce(doc, () => ArchiveProposalModel.findById(doc._id));
      }
    }
  }
  await closePending(report._id, Array.from({ length: report.version - 1 }, (_, i) => i + 1), 'superseded');
}

/** A returned report's proposals are no longer open for confirmation (the visitor amends and resubmits them). */
export async function withdrawProposals(reportId: string, version: number): Promise<void> {
  await closePending(reportId, [version], 'withdrawn');
}

async function closePending(reportId: string, versions: number[], state: 'superseded' | 'withdrawn'): Promise<void> {
  // Point updates by `_id`: the ids of a version's proposals are known without a query.
  for (const version of versions) {
    for (const field of PROPOSABLE_FIELDS) {
      await ArchiveProposalModel.updateOne({ _id: proposalId(reportId, version, field), state: 'pending' }, { $set: { state }, $inc: { revision: 1 } });
    }
  }
}
