import type { AwardsService } from '../../liaison/awards.service';
import type { CasesService } from '../../liaison/cases.service';
import type { ContactsService } from '../../liaison/contacts.service';
import type { TicketsService } from '../../letters/tickets/tickets.service';
import type { MentoringGroupsService } from '../../mentoring/mentoring-groups.service';
import type { StudentsService } from '../../students/students.service';
import type { CampaignsService } from '../../visits/campaigns.service';
import type { PlansService } from '../../visits/plans.service';
import { archiveConfirmationsSource } from './archive-confirmations.source';
import { awardNotificationsSource } from './award-notifications.source';
import { casesSource } from './cases.source';
import { feedbackContactSource, feedbackSource } from './feedback.source';
import { mentoringApprovalsSource } from './mentoring-approvals.source';
import { mentoringInactiveSource } from './mentoring-inactive.source';
import { overdueContactsSource } from './overdue-contacts.source';
import { planApprovalsSource } from './plan-approvals.source';
import { plansToFileSource } from './plans-to-file.source';
import { raisedCasesSource } from './raised-cases.source';
import type { TaskSource } from './task-source';
import { visitReportsToWriteSource } from './visit-reports-to-write.source';

export interface TaskSourceServices {
  students: StudentsService;
  contacts: ContactsService;
  cases: CasesService;
  awards: AwardsService;
  plans: PlansService;
  campaigns: CampaignsService;
  /** Term-letter feedback tickets (B6); without it no feedback tasks. */
  tickets?: TicketsService;
  /** Mentoring groups (C1–C2); without it no mentoring tasks. */
  mentoring?: MentoringGroupsService;
  /** Days after a planned visit before its report is due (HSB_VISIT_REPORT_GRACE_DAYS). */
  visitReportGraceDays: number;
}

/**
 * Every kind of task, in the order its filter is offered (and rows due at the same moment are listed).
 * A module that brings a new kind adds its `<name>.source.ts` and one line here.
 */
export function taskSources(services: TaskSourceServices): TaskSource[] {
  return [
    casesSource(services.cases),
    raisedCasesSource(services.cases),
    awardNotificationsSource(services.awards),
    overdueContactsSource(services.contacts),
    plansToFileSource(services.plans),
    planApprovalsSource(services.plans),
    visitReportsToWriteSource(services.campaigns, services.visitReportGraceDays),
    ...(services.tickets ? [feedbackSource(services.tickets), feedbackContactSource(services.tickets)] : []),
    ...(services.mentoring ? [mentoringApprovalsSource(services.mentoring), mentoringInactiveSource(services.mentoring)] : []),
    archiveConfirmationsSource(services.students),
  ];
}
