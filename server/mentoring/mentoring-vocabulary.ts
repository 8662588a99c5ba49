/** C1–C2: the words of mentoring groups (结对帮扶), with their Chinese labels. */

/** The five areas a group works on (seed §3(三)). */
export const NEED_AREAS = ['values', 'studyInterest', 'mentalHealth', 'legalAwareness', 'practicalDifficulties'] as const;
export type NeedArea = (typeof NEED_AREAS)[number];
export const NEED_AREA_ZH: Record<NeedArea, string> = { values: '理想信念与价值观', studyInterest: '学习兴趣', mentalHealth: '心理疏导', legalAwareness: '法律意识', practicalDifficulties: '实际困难' };

export const EMPLOYMENTS = ['fullTime', 'partTime'] as const;
export type Employment = (typeof EMPLOYMENTS)[number];
export const EMPLOYMENT_ZH: Record<Employment, string> = { fullTime: '专职', partTime: '兼职' };

export const MEMBER_ROLES = ['leader', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const MEMBER_ROLE_ZH: Record<MemberRole, string> = { leader: '组长', member: '成员' };

export const GROUP_STATES = ['proposed', 'active', 'closed', 'rejected'] as const;
export type GroupState = (typeof GROUP_STATES)[number];
export const GROUP_STATE_ZH: Record<GroupState, string> = { proposed: '待审批', active: '帮扶中', closed: '已结束', rejected: '未批准' };
/** The states in which a group holds its student: one such group per student. */
export const OPEN_STATES: readonly GroupState[] = ['proposed', 'active'];

export const OUTCOMES = ['employed', 'furtherStudy', 'withdrawn', 'transferred', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_ZH: Record<Outcome, string> = { employed: '已就业', furtherStudy: '升学', withdrawn: '退学', transferred: '转学', other: '其他' };

export const ACTIVITY_KINDS = ['meeting', 'call', 'homeVisit', 'activity', 'other'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ACTIVITY_KIND_ZH: Record<ActivityKind, string> = { meeting: '面谈', call: '电话/视频', homeVisit: '家访', activity: '集体活动', other: '其他' };

/** The roles whose staff are suggested as members: those who teach and look after students. */
export const MENTOR_ROLES = ['counselor', 'academicMentor', 'growthMentor', 'teacher', 'collegeLeader'] as const;

/** A group has 3–5 members (C1). */
export const GROUP_MIN = 3;
export const GROUP_MAX = 5;
