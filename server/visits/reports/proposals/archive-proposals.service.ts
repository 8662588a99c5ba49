import { Types } from 'mongoose';
import { recordAudit } from '../../../audit/audit.service';
import { collegeDirectory } from '../../../colleges/colleges.service';
import { isDuplicateKey } from '../../../db/duplicate-key';
import { pageWithTotal } from '../../../db/page-with-total';
import { ApiError, problems } from '../../../http/problem';
import type { Actor } from '../../../identity/actor';
import { assertCan, isCollegeScoped, mayActForCollege, mayReadRecord, maySeeSensitive, scopeFilter, sensitiveReadRefusal } from '../../../identity/policy';
import { planArchiveChange, type ResolvedArchive } from '../../../students/archive-changes';
import { commitArchiveWrite } from '../../../students/archive-writer';
import { StudentModel } from '../../../students/student.model';
import type { StudentsService } from '../../../students/students.service';
import { field } from '../../campaign-errors';
import { ArchiveProposalModel, PROPOSAL_STATE_ZH, ProposalDecisionModel, type ProposalRecord, type ProposalState } from './archive-proposal.model';
import { PROPOSAL_FIELD_EN, PROPOSAL_FIELD_ZH, comparableValue, plainValue, type ProposableField } from './proposal-fields';

/** A decision claim whose proposal never moved on (the decider died in between) is given up after this long. */
const ORPHANED_CLAIM_MS = 60_000;

type Decision = 'confirmed' | 'declined';

const notFound = () => problems.notFound('Archive change proposal', '档案变更建议');

function revisionConflict(expected: number): ApiError {
  return new ApiError(409, 'REVISION_CONFLICT', `The proposal changed after revision ${expected}; reload it and try again`, `档案变更建议在版本 ${expected} 之后已有变化，请刷新后重试`, [
    field('revision', `档案变更建议已更新，当前版本不是 ${expected}`, `the proposal is no longer at revision ${expected}`, 'revision'),
  ]);
}

function alreadyDecided(state: ProposalState): ApiError {
  return new ApiError(409, 'PROPOSAL_DECIDED', `The proposal is ${state} already`, `该档案变更建议${PROPOSAL_STATE_ZH[state]}，不能再处理`, [field('state', `当前状态：${PROPOSAL_STATE_ZH[state]}`, `now ${state}`, 'pending')]);
}

function stale(f: ProposableField): ApiError {
  return new ApiError(
    409,
    'STALE_PROPOSAL',
    `The archive's ${PROPOSAL_FIELD_EN[f]} was changed after the visit report was submitted: confirming would overwrite that change. Decline the proposal, or change the archive directly`,
    `学生档案的“${PROPOSAL_FIELD_ZH[f]}”在家访报告提交后已被修改，确认将覆盖该修改。请不予采纳，或直接修改档案`,
    [field(f, `档案中的${PROPOSAL_FIELD_ZH[f]}在报告提交后已有变化`, `the archive's ${PROPOSAL_FIELD_EN[f]} changed since the report was submitted`, 'stale')],
  );
}

/**
 * D8: the archive changes visit reports propose, confirmed or declined by the counselors and leaders of
 * the student's college. A confirmation goes through the archive's one revision-checked write, its
 * history naming the report and version; the decision is claimed by a unique insert so that it is taken
 * once; a proposal overtaken by a later archive change is refused rather than overwriting it.
 */
export class ArchiveProposalsService {
  constructor(private readonly students: StudentsService) {}

  private get cipher() {
    return this.students.cipher;
  }

  /** A proposal within the actor's reading of archives (else 404): read by `_id`, the scope checked in memory. */
  private async readable(actor: Actor, id: string): Promise<ProposalRecord> {
    assertCan(actor, 'students:read');
    const proposal = (await ArchiveProposalModel.findById(id).lean()) as ProposalRecord | null;
    if (!proposal || !mayReadRecord(actor, 'student', { college: proposal.college })) throw notFound();
    return proposal;
  }

  /** The counselors and leaders of the student's college decide (they keep its archives). */
  private assertMayDecide(actor: Actor, proposal: ProposalRecord): void {
    assertCan(actor, 'students:write');
    if (!(isCollegeScoped(actor) && mayActForCollege(actor, proposal.college) && (actor.role === 'counselor' || actor.role === 'collegeLeader'))) {
      throw problems.forbidden('Only the counselors and leaders of the student’s college confirm or decline archive changes from visits', '家访提出的档案变更只能由学生所在学院的辅导员或学院领导确认或不予采纳');
    }
  }

  async list(actor: Actor, query: { college?: string; state?: ProposalState; student?: string; limit: number; skip: number }) {
    assertCan(actor, 'students:read');
    const filter: Record<string, unknown> = { ...scopeFilter(actor, 'student') };
    const directory = await collegeDirectory();
    if (query.college !== undefined) {
      const college = directory.get(query.college);
      if (!college) throw problems.badRequest(`Unknown college "${query.college}"`, `学院“${query.college}”不存在`, [field('college', `学院“${query.college}”不存在`, `no college "${query.college}"`, 'exists')]);
      // A college-scoped caller asking for another college sees nothing, as for any record out of scope.
      filter.college = filter.college && !college._id.equals(filter.college as Types.ObjectId) ? new Types.ObjectId() : college._id;
    }
    if (query.state) filter.state = query.state;
    if (query.student !== undefined) filter.student = (await this.students.findScoped(actor, query.student))._id;
    // Listings never open a sealed value: one proposal at a time, audited (GET /api/archive-proposals/:id).
    const { items, total } = await pageWithTotal(ArchiveProposalModel.find(filter).select('-sealed').sort({ proposedAt: -1, _id: 1 }).skip(query.skip).limit(query.limit).lean(), () => ArchiveProposalModel.countDocuments(filter), query.skip, query.limit);
    return { items: items.map((p) => this.brief(p as unknown as ProposalRecord, directory.get(String(p.college))?.code ?? null)), total };
  }

  private brief(p: ProposalRecord, collegeCode: string | null) {
    return {
      id: p._id,
      report: p.report,
      version: p.version,
      campaign: String(p.campaign),
      college: String(p.college),
      collegeCode,
      student: { id: String(p.student), studentNo: p.studentNo, name: p.studentName },
      field: p.field,
      fieldZh: PROPOSAL_FIELD_ZH[p.field as ProposableField],
      sensitive: p.sensitive,
      ...(p.sensitive ? { redacted: ['value', 'basis'] } : { value: p.value, basis: p.basis }),
      state: p.state,
      stateZh: PROPOSAL_STATE_ZH[p.state as ProposalState],
      revision: p.revision,
      note: `家访报告 ${p.report} 第 ${p.version} 版`,
      noteEn: `from visit report ${p.report} v${p.version}`,
      proposedAt: p.proposedAt,
      proposedBy: p.proposedBy?.displayName ?? p.proposedBy?.username ?? null,
      decidedAt: p.decidedAt ?? null,
      decidedBy: p.decidedBy?.displayName ?? p.decidedBy?.username ?? null,
      declineReason: p.declineReason ?? '',
      appliedRevision: p.appliedRevision ?? null,
    };
  }

  /** One proposal; a sealed value opened only within the student's sensitive scope, the read audited. */
  async get(actor: Actor, id: string) {
    const proposal = await this.readable(actor, id);
    return this.present(actor, proposal);
  }

  private async present(actor: Actor, proposal: ProposalRecord) {
    const brief = this.brief(proposal, (await collegeDirectory()).get(String(proposal.college))?.code ?? null);
    if (!proposal.sensitive) return brief;
    const student = await StudentModel.findById(proposal.student).select('college counselor').lean();
    if (!student || !maySeeSensitive(actor, student)) return brief;
    const sealed = (proposal.sealed ?? {}) as Record<string, string>;
    const opened = { value: sealed.value ? this.cipher.decrypt(sealed.value) : null, basis: sealed.basis ? this.cipher.decrypt(sealed.basis) : null };
    await recordAudit({ action: 'read-sensitive', resourceType: 'archiveProposal', resourceId: proposal._id, fields: [proposal.field], college: proposal.college });
    return { ...brief, ...opened, redacted: [] };
  }

  /**
   * Confirms (the change lands in the archive, its history saying "from visit report … v…") or declines
   * a pending proposal. Deciding as it was decided already answers the decision; anything else decided
   * answers 409.
   */
  async decide(actor: Actor, id: string, decision: Decision, options: { expectedRevision?: number; reason?: string } = {}) {
    const proposal = await this.readable(actor, id);
    this.assertMayDecide(actor, proposal);
    if (proposal.state === decision) return this.present(actor, proposal);
    if (options.expectedRevision !== undefined && options.expectedRevision !== proposal.revision) throw revisionConflict(options.expectedRevision);
    if (proposal.state !== 'pending') throw alreadyDecided(proposal.state as ProposalState);
    const student = await this.students.findScoped(actor, String(proposal.student));
    if (decision === 'confirmed' && proposal.sensitive) {
      const refusal = sensitiveReadRefusal(actor, student);
      if (refusal) throw new ApiError(403, 'SENSITIVE_NEED_TO_KNOW', refusal.en, refusal.zh);
    }

    const by = { user: actor.userId, username: actor.username, displayName: actor.displayName };
    await this.claim(proposal, decision, by);
    try {
      const set: Record<string, unknown> = { state: decision, revision: proposal.revision + 1, decidedAt: new Date(), decidedBy: by };
      if (decision === 'confirmed') set.appliedRevision = await this.apply(actor, proposal, student.toObject());
      else set.declineReason = options.reason?.trim() ?? '';
      const result = await ArchiveProposalModel.updateOne({ _id: proposal._id, revision: proposal.revision }, { $set: set });
      if (result.matchedCount === 0) throw revisionConflict(proposal.revision);
    } catch (error) {
      // Nothing decided: the claim goes, so that the proposal can be decided again.
      await ProposalDecisionModel.deleteOne({ _id: proposal._id }).catch(() => undefined);
      throw error;
    }
    return this.present(actor, (await ArchiveProposalModel.findById(proposal._id).lean()) as ProposalRecord);
  }

  private async claim(proposal: ProposalRecord, decision: Decision, by: Record<string, unknown>): Promise<void> {
    const record = () => ProposalDecisionModel.create({ _id: proposal._id, decision, at: new Date(), by });
    try {
      await record();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const held = await ProposalDecisionModel.findById(proposal._id).select('decision at').lean();
      if (held && Date.now() - held.at.getTime() >= ORPHANED_CLAIM_MS) {
        await ProposalDecisionModel.deleteOne({ _id: proposal._id, at: held.at });
        await record();
        return;
      }
      throw alreadyDecided((held?.decision as ProposalState | undefined) ?? 'confirmed');
    }
  }

  /**
   * Writes the proposed value through the archive's own revision-checked write. The archive must still
   * hold the value it held when the report was submitted (else 409 `STALE_PROPOSAL`); when it holds the
   * proposed value already (an earlier confirmation interrupted before it was marked), nothing is written.
   */
  private async apply(actor: Actor, proposal: ProposalRecord, archive: Record<string, unknown> & { _id: Types.ObjectId; studentNo: string; revision?: number }): Promise<number> {
    const f = proposal.field as ProposableField;
    const sealed = (proposal.sealed ?? {}) as Record<string, string>;
    const archiveSealed = (archive.sealed ?? {}) as Record<string, string>;
    const open = (token: string | undefined) => (token ? (this.cipher.decrypt(token) as string) : null);
    const proposed = proposal.sensitive ? open(sealed.value) : proposal.value;
    const basis = proposal.sensitive ? open(sealed.basis) : proposal.basis;
    const current = proposal.sensitive ? open(archiveSealed[f]) : plainValue(f, archive[f]);
    if (comparableValue(f, current) === comparableValue(f, proposed)) return archive.revision ?? 0;
    if (comparableValue(f, current) !== comparableValue(f, basis)) throw stale(f);
    const input: ResolvedArchive = proposal.sensitive ? { sensitive: { [f]: proposed as string } } : { [f]: proposed };
    const { set, changes } = planArchiveChange(archive, input, this.cipher);
    return commitArchiveWrite(actor, {
      before: archive, set, changes, source: 'visit', academicYear: this.students.currentYear(), confirms: false,
      origin: { visitReport: proposal.report, version: proposal.version, proposal: proposal._id },
    });
  }
}
