import { ApiError, problems, type FieldProblem } from '../http/problem';

/** A change made from an older revision of a campaign or plan (another writer got there first). */
export class VisitRevisionConflict extends ApiError {
  constructor(what: 'campaign' | 'plan', expected: number) {
    const zh = what === 'campaign' ? '家访活动' : '家访计划';
    super(409, 'REVISION_CONFLICT', `The ${what} was changed by someone else after revision ${expected}; reload it and try again`, `${zh}在版本 ${expected} 之后已被他人修改，请刷新后重试`, [
      { path: 'revision', message: `${zh}已更新，当前版本不是 ${expected}`, messageEn: `the ${what} is no longer at revision ${expected}`, rule: 'revision' },
    ]);
  }
}

export function field(path: string, message: string, messageEn: string, rule: string): FieldProblem {
  return { path, message, messageEn, rule };
}

export function invalid(path: string, message: string, messageEn: string, rule: string): ApiError {
  return problems.validation([field(path, message, messageEn, rule)]);
}

/** `If-Match: "7"` (the ETag of a read) → 7; absent → undefined. */
export function ifMatchRevision(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) {
    throw problems.badRequest('If-Match must be the ETag of the record, e.g. "7"', 'If-Match 应为记录的 ETag，如 "7"', [
      { path: 'If-Match', message: '应为版本号，如 "7"', messageEn: 'must be a revision such as "7"', rule: 'pattern' },
    ]);
  }
  return Number(match[1]);
}
