import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../../../audit/audit-writes.plugin';
import { PROPOSABLE_FIELDS } from './proposal-fields';

export const PROPOSAL_STATES = ['pending', 'confirmed', 'declined', 'superseded', 'withdrawn'] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];
export const PROPOSAL_STATE_ZH: Record<ProposalState, string> = { pending: '待确认', confirmed: '已确认', declined: '未采纳', superseded: '已被新版本取代', withdrawn: '报告已退回' };

const person = { user: Schema.Types.ObjectId, username: String, displayName: String };

/**
 * One archive change a submitted visit report proposes (D8): `_id` `<report id>:v<version>:<field>`, so
 * that submitting the same version again proposes nothing new. The archive's value at submission is kept
 * (`basis`) to tell a proposal overtaken by a later archive change. Sealed fields keep both values only as
 * ciphertexts in `sealed` (`value`, `basis`).
 */
const archiveProposalSchema = new Schema(
  {
    _id: { type: String, required: true },
    report: { type: String, required: true },
    version: { type: Number, required: true },
    campaign: { type: Schema.Types.ObjectId, ref: 'VisitCampaign', required: true },
    student: { type: Schema.Types.ObjectId, ref: 'Student', required: true },
    studentNo: { type: String, required: true },
    studentName: { type: String, required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    field: { type: String, enum: PROPOSABLE_FIELDS, required: true },
    sensitive: { type: Boolean, required: true },
    /** The proposed value (plain fields only). */
    value: { type: Schema.Types.Mixed, default: null },
    /** The archive's value when the report was submitted (plain fields only). */
    basis: { type: Schema.Types.Mixed, default: null },
    /** Sealed fields: ciphertexts of `value` and `basis`. */
    sealed: { type: Schema.Types.Mixed, default: {} },
    /** The archive's revision when the report was submitted. */
    archiveRevision: { type: Number, required: true },
    state: { type: String, enum: PROPOSAL_STATES, required: true, default: 'pending' },
    revision: { type: Number, required: true, default: 1 },
    proposedAt: { type: Date, required: true },
    proposedBy: { type: new Schema(person, { _id: false }), required: true },
    decidedAt: { type: Date },
    decidedBy: { type: new Schema(person, { _id: false }), default: null },
    declineReason: { type: String, default: '' },
    /** The archive revision the confirmation wrote (or found already holding the value). */
    appliedRevision: { type: Number },
  },
  { timestamps: true, minimize: false },
);
archiveProposalSchema.index({ college: 1, state: 1, proposedAt: -1 });
archiveProposalSchema.index({ student: 1 });
archiveProposalSchema.plugin(auditWrites, { resourceType: 'archiveProposal' });

export type ArchiveProposal = InferSchemaType<typeof archiveProposalSchema>;
export type ProposalRecord = ArchiveProposal & { _id: string };
export const ArchiveProposalModel = model('ArchiveProposal', archiveProposalSchema);

export const proposalId = (report: string, version: number, field: string): string => `${report}:v${version}:${field}`;

/**
 * The decision on a proposal, claimed by inserting it under the proposal's id: of two confirmations (or a
 * confirmation and a declining) sent at once only one can insert it, so the archive changes once.
 */
const proposalDecisionSchema = new Schema({
  _id: { type: String, required: true },
  decision: { type: String, enum: ['confirmed', 'declined'], required: true },
  at: { type: Date, required: true },
  by: { type: new Schema(person, { _id: false }), required: true },
});
proposalDecisionSchema.plugin(auditWrites, { resourceType: 'archiveProposalDecision' });
export const ProposalDecisionModel = model('ArchiveProposalDecision', proposalDecisionSchema);
