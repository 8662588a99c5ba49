import { ApiError } from '../http/problem';

/** A change made from an older revision of a letter campaign. */
export class LetterRevisionConflict extends ApiError {
  constructor(expected: number) {
    super(409, 'REVISION_CONFLICT', `The letter campaign was changed by someone else after revision ${expected}; reload it and try again`, `致家长的一封信在版本 ${expected} 之后已被他人修改，请刷新后重试`, [
      { path: 'revision', message: `当前版本不是 ${expected}`, messageEn: `the campaign is no longer at revision ${expected}`, rule: 'revision' },
    ]);
  }
}
