/** Where a typical case may be published (D9): within the school, a WeChat article (推文), the college website. */
export const PUBLICITY_CHANNELS = ['internal', 'wechat', 'website'] as const;
export type PublicityChannel = (typeof PUBLICITY_CHANNELS)[number];

export const CHANNEL_ZH: Record<PublicityChannel, string> = { internal: '校内交流', wechat: '微信推文', website: '学院官网' };

/** The badge of a case's consent state: the widest publicity its current consents allow. */
export function consentBadge(channels: ReadonlySet<PublicityChannel>): { code: 'internalOnly' | 'wechat' | 'website' | 'wechatAndWebsite'; zh: string; en: string } {
  const wechat = channels.has('wechat');
  const website = channels.has('website');
  if (wechat && website) return { code: 'wechatAndWebsite', zh: '可推文 · 可官网', en: 'WeChat and website' };
  if (wechat) return { code: 'wechat', zh: '可推文', en: 'WeChat article' };
  if (website) return { code: 'website', zh: '可官网', en: 'college website' };
  return { code: 'internalOnly', zh: '仅限内部', en: 'internal only' };
}

export const TYPICAL_CASE_FIELD_ZH: Record<string, string> = {
  title: '案例标题',
  before: '走访前的情况',
  after: '走访后的变化',
  afterGraduation: '毕业后的发展',
  pictures: '图片',
  reports: '家访报告',
  student: '学生',
  channels: '授权范围',
  guardian: '监护人',
  'guardian.name': '监护人姓名',
  'guardian.relation': '与学生关系',
  familyAppears: '涉及家庭成员',
  evidence: '签字同意书',
  note: '备注',
  reason: '撤回原因',
  channel: '发布渠道',
  campaign: '家访活动',
  college: '学院',
  file: '图片',
  id: '编号',
  limit: '每页条数',
  skip: '跳过条数',
};
