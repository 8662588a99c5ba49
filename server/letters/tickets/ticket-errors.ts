import { ApiError } from '../../http/problem';

/** If-Match named a revision the ticket (or the routing rules) no longer has. */
export class StaleRevision extends ApiError {
  constructor(what: 'ticket' | 'rules', expected: number) {
    const zh = what === 'ticket' ? '反馈工单' : '反馈分派规则';
    const en = what === 'ticket' ? 'feedback ticket' : 'feedback routing rules';
    super(409, 'REVISION_CONFLICT', `The ${en} was changed by someone else after revision ${expected}; reload and try again`, `${zh}在版本 ${expected} 之后已被他人修改，请刷新后重试`, [
      { path: 'If-Match', message: `当前版本不是 ${expected}`, messageEn: `no longer at revision ${expected}`, rule: 'revision' },
    ]);
  }
}

export class RevisionRequired extends ApiError {
  constructor() {
    super(428, 'PRECONDITION_REQUIRED', 'Send If-Match with the ETag of the routing rules you read', '请在 If-Match 中附上读取分派规则时的 ETag', [
      { path: 'If-Match', message: '必填：读取时的版本号，如 "3"', messageEn: 'required: the revision read, such as "3"', rule: 'required' },
    ]);
  }
}

/** Closing needs an answer to the parent and a record of what was done, both after the last reopening. */
export class TicketIncomplete extends ApiError {
  constructor(missing: Array<'response' | 'followThrough'>, reopened: boolean) {
    const since = reopened ? '（家长重新打开后）' : '';
    const sinceEn = reopened ? ' since the parent reopened it' : '';
    const zh = missing.map((m) => (m === 'response' ? `尚未回复家长${since}` : `尚未记录落实情况${since}`)).join('，');
    const en = missing.map((m) => (m === 'response' ? `no response to the parent${sinceEn}` : `no follow-through recorded${sinceEn}`)).join(' and ');
    super(409, 'TICKET_INCOMPLETE', `The ticket cannot be closed: ${en}`, `不能办结：${zh}。有回应、有落实后才能办结`, missing.map((m) => ({
      path: m,
      message: m === 'response' ? `请先回复家长${since}` : `请先记录落实情况${since}`,
      messageEn: m === 'response' ? `respond to the parent first${sinceEn}` : `record what was done first${sinceEn}`,
      rule: 'required',
    })));
  }
}

export class TicketClosed extends ApiError {
  constructor() {
    super(409, 'TICKET_CLOSED', 'The ticket is closed; the parent can reopen it if the answer did not help', '工单已办结；如家长认为未解决，可由家长重新打开');
  }
}

export class TicketBusy extends ApiError {
  constructor() {
    super(409, 'REVISION_CONFLICT', 'The ticket is being changed by others right now; reload it and try again', '工单正被他人修改，请刷新后重试');
  }
}
