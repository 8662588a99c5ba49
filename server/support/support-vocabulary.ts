/** The aid service team (E1) and social resources (E2): English values and their Chinese labels. */

export const AID_ROLES = ['captain', 'viceCaptain', 'member'] as const;
export type AidRole = (typeof AID_ROLES)[number];
export const AID_ROLE_LABELS: Record<AidRole, string> = { captain: '队长', viceCaptain: '副队长', member: '队员' };

export const AID_ACTIVITY_KINDS = ['policyPublicity', 'socialPractice', 'socialService', 'volunteering'] as const;
export type AidActivityKind = (typeof AID_ACTIVITY_KINDS)[number];
export const AID_ACTIVITY_KIND_LABELS: Record<AidActivityKind, string> = { policyPublicity: '政策宣传', socialPractice: '社会实践', socialService: '社会服务', volunteering: '志愿服务' };

export const FUNDER_KINDS = ['company', 'socialGroup', 'alumnus', 'individual'] as const;
export type FunderKind = (typeof FUNDER_KINDS)[number];
export const FUNDER_KIND_LABELS: Record<FunderKind, string> = { company: '企业', socialGroup: '社会团体', alumnus: '校友', individual: '个人' };

export const FUND_KINDS = ['scholarship', 'grant'] as const;
export type FundKind = (typeof FUND_KINDS)[number];
export const FUND_KIND_LABELS: Record<FundKind, string> = { scholarship: '奖学金', grant: '助学金' };

export const FUNDER_ACTIVITY_KINDS = ['lecture', 'mentoring', 'practice'] as const;
export type FunderActivityKind = (typeof FUNDER_ACTIVITY_KINDS)[number];
export const FUNDER_ACTIVITY_KIND_LABELS: Record<FunderActivityKind, string> = { lecture: '讲座', mentoring: '导师指导', practice: '实践' };

/** How a funder's report names a student who did not consent to being named. */
export const ANONYMOUS_STUDENT = '某同学';

/** Why a student cannot join the aid service team. */
export const ELIGIBILITY_REASONS = {
  NOT_HARDSHIP: { message: '该生档案中未登记为家庭经济困难学生，助学服务队伍只吸收家庭经济困难学生', messageEn: 'the archive does not record the student as from a family in financial hardship; the aid service team takes only hardship students' },
  ACADEMIC_DIFFICULTY: { message: '该生档案登记有学业困难，暂不符合助学服务队伍“品学兼优”的要求', messageEn: 'the archive records academic difficulty; team members must be in good academic standing' },
  RECENT_PENALTY: { message: '该生近 12 个月内受过处分，暂不符合加入条件', messageEn: 'the student received a disciplinary penalty in the last 12 months' },
} as const;
export type EligibilityReason = keyof typeof ELIGIBILITY_REASONS;
