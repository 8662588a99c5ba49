import { registerSubmissionHandler, selectedKeys } from '../forms/submission-handlers';
import { problems } from '../http/problem';
import type { AwardsService } from './awards.service';
import type { CasesService } from './cases.service';
import { parseContactInput, type ContactsService } from './contacts.service';

/** The contact-log, key-case and award forms create the liaison records themselves. */
export function registerLiaisonForms(contacts: ContactsService, cases: CasesService, awards: AwardsService): void {
  registerSubmissionHandler(
    'contactLog',
    async (actor, data, submissionId) => {
      const { value, problems: found } = parseContactInput({
        student: data.studentNo, guardianName: data.guardianName, channel: data.channel, topics: selectedKeys(data.topics), summary: data.summary,
        parentFeedback: data.parentFeedback, contactedAt: data.contactedAt,
        followUps: data.followUp ? [{ action: data.followUp, due: data.followUpDue || undefined }] : [],
      });
      if (found.length) throw problems.validation(found);
      return { type: 'contact', id: (await contacts.log(actor, value, submissionId)).id };
    },
    { fieldPaths: { student: 'studentNo', 'followUps.action': 'followUp', 'followUps.due': 'followUpDue' }, discard: (id) => contacts.discard(id) },
  );
  registerSubmissionHandler(
    'keyCase',
    async (actor, data) => {
      const result = await cases.raise(actor, { student: String(data.studentNo ?? ''), category: String(data.category ?? ''), description: String(data.description ?? ''), department: data.department ? String(data.department) : undefined });
      return { type: 'keyCase', id: result.case.id };
    },
    { fieldPaths: { student: 'studentNo' } },
  );
  registerSubmissionHandler(
    'award',
    async (actor, data, submissionId) => {
      const award = await awards.record(actor, { ...data, student: data.studentNo, wideImpact: data.wideImpact === true }, submissionId);
      return { type: 'award', id: award.id };
    },
    { fieldPaths: { student: 'studentNo' }, discard: (id) => awards.discard(id) },
  );
}
