/** The words of home visits (D1–D5), with the Chinese terms of seed 001. */

export const BREAKS = ['winter', 'summer'] as const;
export const BREAK_ZH: Record<(typeof BREAKS)[number], string> = { winter: '寒假', summer: '暑假' };

/** D4: how a visit is made. */
export const VISIT_MODES = ['onsite', 'video', 'phone'] as const;
export type VisitMode = (typeof VISIT_MODES)[number];
export const VISIT_MODE_ZH: Record<VisitMode, string> = { onsite: '实地家访', video: '网络视频家访', phone: '电话家访' };

/** D4: 普访 general, 随访 follow-up, 定访 scheduled (targeted). */
export const VISIT_KINDS = ['general', 'followUp', 'scheduled'] as const;
export const VISIT_KIND_ZH: Record<(typeof VISIT_KINDS)[number], string> = { general: '普访', followUp: '随访', scheduled: '定访' };

/** D3: whom a visit is for. */
export const TARGET_TYPES = ['current', 'hardship', 'typical', 'graduate', 'loanOverdue'] as const;
export const TARGET_TYPE_ZH: Record<(typeof TARGET_TYPES)[number], string> = {
  current: '在校生',
  hardship: '家庭经济困难学生',
  typical: '典型学生',
  graduate: '毕业生回访',
  loanOverdue: '助学贷款逾期毕业生',
};

/** D2: who visits. A visit with a school leader among its visitors is a school-leader visit. */
export const VISITOR_ROLES = ['schoolLeader', 'counselor', 'academicMentor', 'growthMentor', 'other'] as const;
export type VisitorRole = (typeof VISITOR_ROLES)[number];
export const VISITOR_ROLE_ZH: Record<VisitorRole, string> = { schoolLeader: '校领导', counselor: '辅导员', academicMentor: '学业导师', growthMentor: '成长导师', other: '其他教职工' };

/** D1: departments taking part besides the colleges. */
export const DEPARTMENT_KINDS = ['publicity', 'youthLeague', 'other'] as const;
export const DEPARTMENT_KIND_ZH: Record<(typeof DEPARTMENT_KINDS)[number], string> = { publicity: '宣传部', youthLeague: '团委', other: '其他部门' };

export const CAMPAIGN_STATES = ['draft', 'open', 'closed'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];
export const CAMPAIGN_STATE_ZH: Record<CampaignState, string> = { draft: '草稿', open: '进行中', closed: '已结束' };

/** D5: a college plan's states. An approved plan being amended is `draft`/`submitted`/`returned` again with its approved version kept. */
export const PLAN_STATES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type PlanState = (typeof PLAN_STATES)[number];
export const PLAN_STATE_ZH: Record<PlanState, string> = { draft: '草稿', submitted: '待审批', approved: '已批准', returned: '已退回' };

/** Who approves a plan, step by step (a campaign setting; default: college leader, then student affairs). */
export const APPROVER_ROLES = ['collegeLeader', 'studentAffairs'] as const;
export type ApproverRole = (typeof APPROVER_ROLES)[number];
export const APPROVER_ROLE_ZH: Record<ApproverRole, string> = { collegeLeader: '学院领导', studentAffairs: '学工部' };
