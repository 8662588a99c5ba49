import { z } from 'zod/v4';
import { page, recordRef, text } from '../../../http/contract/fields';
import { archiveBody } from '../../../students/students.schemas';
import { PROPOSAL_STATES } from './archive-proposal.model';
import { PROPOSAL_FIELD_ZH } from './proposal-fields';

/**
 * The `proposals` part of a visit report (PATCH /api/visit-reports/:id): the archive's own shapes for the
 * fields a visit may propose; their rules are the archive's validator's (`parseArchiveInput`).
 */
export const proposalsPatch = archiveBody
  .pick({ homeAddress: true, guardians: true, careTier: true, specialCategories: true, familyFinances: true })
  .describe('archive changes the visit proposes (D8): the counselor confirms each; familyFinances is sealed');

export const proposalParams = z
  .object({ id: z.string().regex(/^[0-9a-f]{24}:[0-9a-f]{24}:(?:unplanned-)?[0-9a-f]{24}:v\d{1,4}:[A-Za-z]{1,40}$/, 'must be the id of an archive change proposal') })
  .strict();

export const proposalListQuery = z
  .object({
    college: recordRef.optional().describe('college id or code'),
    state: z.enum(PROPOSAL_STATES).optional(),
    student: recordRef.optional().describe('archive id or student number'),
    ...page(200),
  })
  .strict();

export const declineBody = z.object({ reason: text(1000).optional().describe('why the change is not taken into the archive') }).strict();

export const proposalLabels: Record<string, string> = {
  ...Object.fromEntries(Object.entries(PROPOSAL_FIELD_ZH).map(([k, v]) => [`proposals.${k}`, v])),
  proposals: '档案变更建议',
  id: '编号',
  college: '学院',
  state: '状态',
  student: '学生',
  reason: '原因',
  limit: '每页条数',
  skip: '跳过条数',
};
