/** The words of visit reports (D6–D7), with the Chinese terms of seed 001 §6 and seed 000 §3(四). */

/** `returned`: a submitted report sent back to its visitors with a reason, to be amended and submitted as the next version (D8). */
export const REPORT_STATES = ['draft', 'submitted', 'returned'] as const;
export type ReportState = (typeof REPORT_STATES)[number];
export const REPORT_STATE_ZH: Record<ReportState, string> = { draft: '草稿', submitted: '已提交', returned: '已退回' };

/** 六个导向: what a visit covered (the keys of the visit-report form's `orientations`). */
export const ORIENTATIONS = ['policy', 'ideology', 'study', 'psychology', 'life', 'growth'] as const;
export type Orientation = (typeof ORIENTATIONS)[number];
export const ORIENTATION_ZH: Record<Orientation, string> = { policy: '政策宣传', ideology: '思想引导', study: '学业辅导', psychology: '心理疏导', life: '生活指导', growth: '成长向导' };

/** 安全教育: the safety education given during the visit (the keys of the form's `safetyEducation`). */
export const SAFETY_TOPICS = ['life', 'health', 'social', 'travel', 'internet', 'integrity'] as const;
export type SafetyTopic = (typeof SAFETY_TOPICS)[number];
export const SAFETY_TOPIC_ZH: Record<SafetyTopic, string> = { life: '生命安全', health: '医疗健康', social: '社会责任', travel: '出行安全', internet: '网络安全', integrity: '诚信教育' };

/** 资助政策 奖、助、贷、勤、学、减: the aid policies explained to the family (the keys of the form's `aidPolicies`). */
export const AID_POLICIES = ['scholarship', 'grant', 'loan', 'workStudy', 'other', 'tuitionWaiver'] as const;
export type AidPolicy = (typeof AID_POLICIES)[number];
export const AID_POLICY_ZH: Record<AidPolicy, string> = { scholarship: '奖', grant: '助', loan: '贷', workStudy: '勤', other: '学（其他）', tuitionWaiver: '减' };

/** For overdue loan borrowers (助学贷款逾期毕业生): their intention to repay. */
export const REPAYMENT_INTENTIONS = ['willing', 'partial', 'difficult', 'refused'] as const;
export type RepaymentIntention = (typeof REPAYMENT_INTENTIONS)[number];
export const REPAYMENT_INTENTION_ZH: Record<RepaymentIntention, string> = { willing: '愿意按期还款', partial: '愿意分期或部分还款', difficult: '暂无还款能力', refused: '拒绝还款' };

/** The parts of a report that follow the archive's sensitive-data rules (A4): sealed, need-to-know, reads audited. */
export const REPORT_SENSITIVE_FIELDS = ['psychologicalState', 'familyFinances'] as const;
export type ReportSensitiveField = (typeof REPORT_SENSITIVE_FIELDS)[number];

/** The plain structured content of a report (everything but the sealed fields and the evidence). */
export const REPORT_TEXT_FIELDS = ['place', 'metWith', 'familyState', 'emotionalState', 'studyState', 'personality', 'graduateDevelopment', 'account', 'reflections', 'parentOpinion'] as const;
export type ReportTextField = (typeof REPORT_TEXT_FIELDS)[number];

export const REPORT_FIELD_ZH: Record<string, string> = {
  visitedOn: '家访日期',
  place: '家访地点',
  metWith: '接待家长',
  orientations: '六个导向',
  familyState: '家庭情况',
  psychologicalState: '心理状况',
  emotionalState: '情绪状况',
  studyState: '学习状况',
  personality: '性格特点',
  familyFinances: '家庭经济状况',
  safetyEducation: '安全教育',
  aidPolicies: '资助政策宣讲',
  graduateDevelopment: '毕业后发展情况',
  loan: '助学贷款还款',
  'loan.repaymentIntention': '还款意愿',
  'loan.reminderGiven': '已提醒按期还款',
  'loan.note': '还款情况说明',
  account: '家访实录（实事求是）',
  reflections: '心得体会',
  parentOpinion: '家长意见和建议',
  followUp: '后续跟进',
  'followUp.needed': '需要后续跟进',
  'followUp.needs': '跟进事项',
  photos: '家访照片',
  media: '视频或音频',
};
