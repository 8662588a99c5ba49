/** B6: the words of the term-end letter (致家长的一封信) and its feedback, with their Chinese labels. */

export const LETTER_CAMPAIGN_STATES = ['draft', 'scheduled', 'sending', 'open', 'closed'] as const;
export type LetterCampaignState = (typeof LETTER_CAMPAIGN_STATES)[number];
export const LETTER_CAMPAIGN_STATE_ZH: Record<LetterCampaignState, string> = { draft: '草稿', scheduled: '已排期', sending: '发送中', open: '反馈中', closed: '已结束' };

export const TERMS = ['autumn', 'spring'] as const;
export type Term = (typeof TERMS)[number];
export const TERM_ZH: Record<Term, string> = { autumn: '秋季学期', spring: '春季学期' };

/** How a letter reaches a family: an SMS with the link, an e-mail, or a printed letter (no phone on file). */
export const LETTER_CHANNELS = ['sms', 'email', 'print'] as const;
export type LetterChannel = (typeof LETTER_CHANNELS)[number];
export const LETTER_CHANNEL_ZH: Record<LetterChannel, string> = { sms: '短信', email: '电子邮件', print: '纸质信' };

export const DELIVERY_STATES = ['pending', 'sent', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export const DELIVERY_STATE_ZH: Record<DeliveryState, string> = { pending: '待发送', sent: '已发送', delivered: '已送达', failed: '发送失败' };

export const FEEDBACK_TOPICS = ['teaching', 'studentLife', 'safety', 'finances', 'other'] as const;
export type FeedbackTopic = (typeof FEEDBACK_TOPICS)[number];
export const FEEDBACK_TOPIC_ZH: Record<FeedbackTopic, string> = { teaching: '教学', studentLife: '学生生活', safety: '安全', finances: '资助与收费', other: '其他' };

export const TICKET_STATES = ['open', 'responded', 'closed'] as const;
export type TicketState = (typeof TICKET_STATES)[number];
export const TICKET_STATE_ZH: Record<TicketState, string> = { open: '待回应', responded: '已回应', closed: '已办结' };
