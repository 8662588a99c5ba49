import { registerSubmissionHandler, selectedKeys } from '../forms/submission-handlers';
import { parseInput } from '../http/contract/parse-input';
import type { MentoringGroupsService } from './mentoring-groups.service';
import { activityBody, mentoringLabels, proposalBody } from './mentoring.schemas';

export const GROUP_PROPOSAL_FORM = 'mentoringGroupProposal';
export const ACTIVITY_FORM = 'mentoringActivity';

type Row = Record<string, unknown>;

const str = (value: unknown): string | undefined => {
  if (value && typeof value === 'object') return str((value as Row).id) ?? str((value as Row).userId) ?? str((value as Row).username);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/**
 * The proposal form (forms/mentoring-group-proposal.json) and the activity form (forms/mentoring-activity.json)
 * go through the mentoring service — the same rules as the REST routes, refusals under the form's fields
 * (`members`, `members[1].user`, `student`). The group, and the activity, are made under the submission's
 * id: a submission sent twice makes one record.
 */
export function registerMentoringForms(groups: MentoringGroupsService): void {
  registerSubmissionHandler(
    GROUP_PROPOSAL_FORM,
    async (actor, data, submissionId) => {
      const rows = Array.isArray(data.members) ? (data.members as Row[]) : [];
      const note = str(data.needsNote);
      const input = parseInput(
        proposalBody,
        {
          student: str(data.student) ?? '',
          members: rows.filter((r) => str(r.user)).map((r) => ({ user: str(r.user), employment: r.employment, role: r.role })),
          needs: selectedKeys(data.needs).map((area) => (note ? { area, note } : { area })),
          plan: typeof data.plan === 'string' ? data.plan : '',
        },
        'body',
        mentoringLabels,
      );
      const existing = await groups.load(submissionId);
      const group = existing ?? (await groups.propose(actor, input, new Date(), submissionId));
      return { type: 'mentoringGroup', id: String(group._id) };
    },
    { fieldPaths: { needs: 'needs', 'needs.note': 'needsNote' }, discard: (id) => groups.discardProposal(id), receipt: true },
  );
  registerSubmissionHandler(
    ACTIVITY_FORM,
    async (actor, data, submissionId) => {
      const input = parseInput(
        activityBody,
        { at: str(data.at) ?? '', kind: data.kind, areas: selectedKeys(data.areas), summary: typeof data.summary === 'string' ? data.summary : '', ...(str(data.nextStep) ? { nextStep: str(data.nextStep) } : {}) },
        'body',
        mentoringLabels,
      );
      const { activity } = await groups.logActivity(actor, str(data.group) ?? '', input, submissionId);
      return { type: 'mentoringActivity', id: String(activity._id) };
    },
    { discard: (id) => groups.discardActivity(id), receipt: true },
  );
}
