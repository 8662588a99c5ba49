import { ApiError } from '../http/problem';
import { GROUP_MAX, GROUP_MIN, GROUP_STATE_ZH, type GroupState } from './mentoring-vocabulary';

/** C1: fewer than 3 or more than 5 members (after a proposal or a change). */
export class GroupSizeError extends ApiError {
  constructor(count: number) {
    super(422, 'GROUP_SIZE', `A mentoring group has ${GROUP_MIN} to ${GROUP_MAX} members, not ${count}`, `帮扶小组须由 ${GROUP_MIN}–${GROUP_MAX} 名教师组成，当前 ${count} 名`, [
      { path: 'members', message: `成员须为 ${GROUP_MIN}–${GROUP_MAX} 名，当前 ${count} 名`, messageEn: `${GROUP_MIN} to ${GROUP_MAX} members, not ${count}`, rule: 'GROUP_SIZE' },
    ]);
  }
}

export class GroupLeaderError extends ApiError {
  constructor(count: number) {
    super(422, 'GROUP_LEADER', `A mentoring group has exactly one leader, not ${count}`, `帮扶小组须有且只有一名组长，当前 ${count} 名`, [
      { path: 'members', message: `须有且只有一名组长，当前 ${count} 名`, messageEn: `exactly one leader, not ${count}`, rule: 'GROUP_LEADER' },
    ]);
  }
}

export class MemberOutsideCollegeError extends ApiError {
  constructor(path: string, name: string) {
    super(422, 'MEMBER_OUTSIDE_COLLEGE', `${name} is not of the student's college`, `${name}不属于该生所在学院，帮扶小组成员须为本院教师`, [
      { path, message: `${name}不属于该生所在学院`, messageEn: `${name} is not of the student's college`, rule: 'MEMBER_OUTSIDE_COLLEGE' },
    ]);
  }
}

export class MemberInvalidError extends ApiError {
  constructor(path: string, zh: string, en: string) {
    super(422, 'MEMBER_INVALID', `A member ${en}`, `小组成员${zh}`, [{ path, message: `成员${zh}`, messageEn: `the member ${en}`, rule: 'MEMBER_INVALID' }]);
  }
}

export class StudentNotSpecialError extends ApiError {
  constructor(name: string) {
    super(422, 'STUDENT_NOT_SPECIAL', `${name} is not a special student; a mentoring group is formed for a student of the special tier or with special categories`, `${name}不是特殊群体学生，帮扶小组只为特殊关爱学生（特殊关爱层级或有特殊类别）组建`, [
      { path: 'student', message: `${name}不是特殊群体学生`, messageEn: `${name} is not a special student`, rule: 'STUDENT_NOT_SPECIAL' },
    ]);
  }
}

/** C1: one group supports one student — the student already has a proposed or active group. */
export class GroupExistsError extends ApiError {
  constructor(group: string | undefined) {
    super(409, 'GROUP_EXISTS', `The student already has a proposed or active mentoring group${group ? ` (${group})` : ''}`, '该生已有待审批或帮扶中的帮扶小组，一个小组帮扶一名学生', [
      { path: 'student', message: '该生已有待审批或帮扶中的帮扶小组', messageEn: 'the student already has a proposed or active group', rule: 'GROUP_EXISTS' },
    ]);
  }
}

export class GroupStateError extends ApiError {
  constructor(state: GroupState, action: string, actionZh: string) {
    super(409, 'GROUP_STATE', `A ${state} group cannot be ${action}`, `小组当前为“${GROUP_STATE_ZH[state]}”，不能${actionZh}`);
  }
}

export class GroupClosedError extends ApiError {
  constructor(state: GroupState) {
    super(409, 'GROUP_CLOSED', `Activities are logged only while the group is active (it is ${state}); its log stays readable`, `小组当前为“${GROUP_STATE_ZH[state]}”，只有帮扶中的小组可以记录活动；已有记录仍可查看`);
  }
}

export class GroupRevisionConflict extends ApiError {
  constructor(expected: number) {
    super(409, 'REVISION_CONFLICT', `The mentoring group was changed by someone else after revision ${expected}; reload it and try again`, `帮扶小组在版本 ${expected} 之后已被他人修改，请刷新后重试`, [
      { path: 'If-Match', message: `当前版本不是 ${expected}`, messageEn: `the group is no longer at revision ${expected}`, rule: 'revision' },
    ]);
  }
}

export class GroupRevisionRequired extends ApiError {
  constructor() {
    super(428, 'PRECONDITION_REQUIRED', 'Send If-Match with the ETag of the group you read', '请在 If-Match 中附上读取帮扶小组时的 ETag', [
      { path: 'If-Match', message: '必填：读取时的版本号，如 "3"', messageEn: 'required: the revision read, such as "3"', rule: 'required' },
    ]);
  }
}

export class OutcomeIncompleteError extends ApiError {
  constructor(missing: Array<{ field: string; zh: string; en: string }>) {
    super(422, 'OUTCOME_INCOMPLETE', `The outcome needs ${missing.map((m) => m.en).join(' and ')}`, `结束帮扶须填写${missing.map((m) => m.zh).join('、')}`, missing.map((m) => ({
      path: `outcome.${m.field}`, message: `请填写${m.zh}`, messageEn: `${m.en} is required for this outcome`, rule: 'required',
    })));
  }
}
