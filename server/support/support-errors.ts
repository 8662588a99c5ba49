import { ApiError } from '../http/problem';
import { ELIGIBILITY_REASONS, type EligibilityReason } from './support-vocabulary';

/** A student who does not meet the aid service team's conditions (E1); the reasons name each one not met. */
export class NotEligible extends ApiError {
  readonly reasons: { code: EligibilityReason; message: string; messageEn: string }[];
  constructor(codes: EligibilityReason[]) {
    const reasons = codes.map((code) => ({ code, ...ELIGIBILITY_REASONS[code] }));
    super(422, 'NOT_ELIGIBLE', `The student cannot join the aid service team: ${reasons.map((r) => r.messageEn).join('; ')}`, `该生不符合助学服务队伍的条件：${reasons.map((r) => r.message).join('；')}`, reasons.map((r) => ({ path: 'student', message: r.message, messageEn: r.messageEn, rule: r.code })));
    this.reasons = reasons;
  }
}

export const supportErrors = {
  alreadyMember: () =>
    new ApiError(409, 'ALREADY_MEMBER', 'The student is already a current member of the aid service team', '该生已是助学服务队伍的在队成员', [
      { path: 'student', message: '该生已是在队成员，每名学生同时只能有一段在队经历', messageEn: 'the student already has a current membership', rule: 'ALREADY_MEMBER' },
    ]),
  membershipEnded: () => new ApiError(409, 'MEMBERSHIP_ENDED', 'The membership has already ended', '该队员的在队经历已结束'),
  notCurrentMembers: (rows: { path: string; member: string }[]) =>
    new ApiError(422, 'NOT_CURRENT_MEMBER', 'Every participant must be a current member of the aid service team', '参加活动的须为助学服务队伍的在队成员', rows.map((r) => ({ path: r.path, message: `${r.member} 不是在队成员`, messageEn: `${r.member} is not a current member`, rule: 'NOT_CURRENT_MEMBER' }))),
  fundExceeded: (remaining: number, amount: number) =>
    new ApiError(422, 'FUND_EXCEEDED', `The award of ${amount} yuan would exceed the fund: ${remaining} yuan remain`, `资助金额 ${amount} 元超出该项目余额（剩余 ${remaining} 元）`, [
      { path: 'amount', message: `超出项目余额，最多还可资助 ${remaining} 元`, messageEn: `exceeds the fund: at most ${remaining} yuan remain`, rule: 'FUND_EXCEEDED' },
    ]),
  fundBusy: () => new ApiError(409, 'FUND_BUSY', 'Many awards are being made from this fund right now; try again', '该项目正同时发放多笔资助，请稍后重试'),
  invalidDate: (path: string) => new ApiError(422, 'VALIDATION_FAILED', `${path} is not a valid date`, `${path} 不是有效日期`, [{ path, message: '日期无效', messageEn: 'not a valid date', rule: 'date' }]),
};
