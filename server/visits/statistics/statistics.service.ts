import { collegeDirectory } from '../../colleges/colleges.service';
import { problems } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { assertCan, mayReadRecord, readScope } from '../../identity/policy';
import type { CampaignsService } from '../campaigns.service';
import { collegeVisitStatistics, schoolVisitStatistics, type Enrolment } from './visit-statistics';

/**
 * Who reads the statistics (D10): they show no more than the college's plan does (its planned students,
 * counts of its visits), so they follow the `visitPlan` read scope — a college's staff their own college,
 * school-wide readers every college and the school roll-up. Another college answers 404, as any record
 * out of scope.
 */
export class VisitStatisticsService {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly enrolment: Enrolment,
  ) {}

  async forCollege(actor: Actor, campaignId: string, collegeRef: string) {
    assertCan(actor, 'visits:read');
    const campaign = await this.campaigns.find(actor, campaignId);
    const college = (await collegeDirectory()).get(collegeRef);
    if (!college || !campaign.colleges.some((c) => c.equals(college._id)) || !mayReadRecord(actor, 'visitPlan', { college: college._id })) {
      throw problems.notFound('College of this campaign', '参与本次家访活动的学院');
    }
    return collegeVisitStatistics(this.enrolment, campaign, college);
  }

  async forSchool(actor: Actor, campaignId: string) {
    assertCan(actor, 'visits:read');
    const campaign = await this.campaigns.find(actor, campaignId);
    if (readScope(actor, 'visitPlan') !== 'school') {
      throw problems.forbidden('The school roll-up is for school-wide readers (student affairs, school leaders); name your college with ?college=', '全校汇总仅限学工部和校领导查看；请用 ?college= 指定本学院');
    }
    return schoolVisitStatistics(this.enrolment, campaign);
  }
}
