import { DateTime } from 'luxon';
import type { FieldProblem } from '../http/problem';
import { calendarDate } from '../calendar/academic-calendar';
import { CARE_TIERS, SENSITIVE_FIELDS, SPECIAL_CATEGORIES, type SensitiveField } from './student.model';

export interface GuardianInput {
  name: string;
  relation: string;
  phone: string;
}

/** An archive as given by the API or one roster row, normalised. `college`/`counselor` are resolved later. */
export interface ArchiveInput {
  studentNo?: string;
  name?: string;
  gender?: 'male' | 'female';
  birthDate?: Date;
  college?: string;
  major?: string;
  grade?: string;
  className?: string;
  counselor?: string | null;
  guardians?: GuardianInput[];
  homeAddress?: string;
  careTier?: (typeof CARE_TIERS)[number];
  specialCategories?: Array<(typeof SPECIAL_CATEGORIES)[number]>;
  supportPlan?: string;
  sensitive?: Partial<Record<SensitiveField, string | null>>;
}

export const FIELD_LABELS: Record<string, string> = {
  studentNo: '学号', name: '姓名', gender: '性别', birthDate: '出生日期', college: '院系', major: '专业', grade: '年级',
  className: '班级', counselor: '辅导员', guardians: '监护人', homeAddress: '家庭住址', careTier: '关注等级',
  specialCategories: '特殊类别', supportPlan: '帮扶计划', medicalHistory: '病史', psychologicalFlags: '心理状况', familyFinances: '家庭经济情况',
};

const GENDERS: Record<string, 'male' | 'female'> = { male: 'male', female: 'female', 男: 'male', 女: 'female', m: 'male', f: 'female' };
const TIERS: Record<string, (typeof CARE_TIERS)[number]> = { special: 'special', key: 'key', general: 'general', 特殊: 'special', 重点: 'key', 一般: 'general' };
const CATEGORIES: Record<string, (typeof SPECIAL_CATEGORIES)[number]> = {
  家庭经济困难: 'financialHardship', 残疾: 'disability', 慢性病: 'chronicIllness', 心理问题: 'psychological', 学业困难: 'academic', 家庭变故: 'familyChange', 其他: 'other',
  ...Object.fromEntries(SPECIAL_CATEGORIES.map((c) => [c, c])),
};
const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;
const REQUIRED_ON_CREATE = ['studentNo', 'name', 'gender', 'birthDate', 'college', 'major', 'grade', 'className'] as const;

class Collector {
  readonly problems: FieldProblem[] = [];
  fail(field: string, zh: string, en: string, rule: string): undefined {
    this.problems.push({ path: field, message: `${FIELD_LABELS[field.split('[')[0]!] ?? field}${zh}`, messageEn: `${field} ${en}`, rule });
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}


/**
 * Validates an archive input. With `partial`, absent fields are left alone (an update); otherwise the
 * basic archive fields are required (a new student, or a roster row).
 */
export function parseArchiveInput(raw: Record<string, unknown>, options: { partial: boolean }): { value: ArchiveInput; problems: FieldProblem[] } {
  const c = new Collector();
  const value: ArchiveInput = {};
  const has = (field: string): boolean => raw[field] !== undefined;

  if (!options.partial) {
    for (const field of REQUIRED_ON_CREATE) if (text(raw[field]) === undefined && !(raw[field] instanceof Date)) c.fail(field, '为必填项', 'is required', 'required');
  }
  const studentNo = text(raw.studentNo);
  if (studentNo !== undefined) {
    if (/^[A-Za-z0-9]{4,20}$/.test(studentNo)) value.studentNo = studentNo;
    else c.fail('studentNo', '只能包含字母和数字（4–20 位）', 'must be 4–20 letters or digits', 'pattern');
  }
  for (const field of ['name', 'major', 'className', 'homeAddress', 'supportPlan'] as const) {
    const s = text(raw[field]);
    if (s === undefined) continue;
    const max = field === 'supportPlan' ? 5000 : field === 'homeAddress' ? 300 : 60;
    if (s.length > max) c.fail(field, `不能超过 ${max} 个字符`, `must have at most ${max} characters`, 'maxLength');
    else value[field] = s;
  }
  const gender = text(raw.gender);
  if (gender !== undefined) {
    value.gender = GENDERS[gender.toLowerCase()];
    if (!value.gender) c.fail('gender', '应为“男”或“女”', 'must be male or female (男/女)', 'enum');
  }
  if (has('birthDate') && text(raw.birthDate) !== undefined) {
    const date = calendarDate(raw.birthDate);
    const years = date ? DateTime.now().diff(DateTime.fromJSDate(date), 'years').years : NaN;
    if (!date) c.fail('birthDate', '不是有效日期（如 2006-03-01）', 'is not a valid date (e.g. 2006-03-01)', 'date');
    else if (years < 10 || years > 80) c.fail('birthDate', '不合理（年龄应在 10–80 岁之间）', 'gives an implausible age', 'range');
    else value.birthDate = date;
  }
  const grade = text(raw.grade);
  if (grade !== undefined) {
    if (/^20\d{2}$/.test(grade)) value.grade = grade;
    else c.fail('grade', '应为四位入学年份，如 2024', 'must be the four-digit year of entry', 'pattern');
  }
  const college = text(raw.college);
  if (college !== undefined) value.college = college;
  if (has('counselor')) value.counselor = text(raw.counselor) ?? null;
  const tier = text(raw.careTier);
  if (tier !== undefined) {
    value.careTier = TIERS[tier];
    if (!value.careTier) c.fail('careTier', '应为 特殊、重点 或 一般', 'must be special, key or general', 'enum');
  }
  if (has('specialCategories')) {
    const list = Array.isArray(raw.specialCategories) ? raw.specialCategories : String(raw.specialCategories ?? '').split(/[,，、;；]/);
    const mapped = list.map((x) => text(x)).filter((x): x is string => !!x).map((x) => CATEGORIES[x] ?? x);
    const unknown = mapped.filter((x) => !(SPECIAL_CATEGORIES as readonly string[]).includes(x));
    if (unknown.length) c.fail('specialCategories', `包含未知类别：${unknown.join('、')}`, `has unknown categories: ${unknown.join(', ')}`, 'enum');
    else value.specialCategories = mapped as ArchiveInput['specialCategories'];
  }
  if (has('guardians')) {
    if (!Array.isArray(raw.guardians)) c.fail('guardians', '必须是列表', 'must be a list', 'type');
    else {
      const guardians: GuardianInput[] = [];
      raw.guardians.forEach((g: unknown, i: number) => {
        const row = (g ?? {}) as Record<string, unknown>;
        const name = text(row.name);
        const relation = text(row.relation);
        const phone = text(row.phone)?.replace(/\s/g, '');
        if (!name) c.fail(`guardians[${i}].name`, '的姓名为必填项', 'name is required', 'required');
        if (!relation) c.fail(`guardians[${i}].relation`, '的关系为必填项', 'relation is required', 'required');
        if (!phone || !PHONE.test(phone)) c.fail(`guardians[${i}].phone`, '的电话应为 11 位手机号或带区号的固定电话', 'phone must be a mobile or landline number', 'pattern');
        if (name && relation && phone && PHONE.test(phone)) guardians.push({ name, relation, phone });
      });
      value.guardians = guardians;
    }
  }
  for (const field of SENSITIVE_FIELDS) {
    if (!has(field)) continue;
    const s = text(raw[field]);
    if (s && s.length > 2000) c.fail(field, '不能超过 2000 个字符', 'must have at most 2000 characters', 'maxLength');
    else (value.sensitive ??= {})[field] = s ?? null;
  }
  if (value.careTier && value.careTier !== 'special' && value.specialCategories?.length) {
    c.fail('specialCategories', '仅适用于特殊学生', 'apply to special students only', 'conditional');
  }
  return { value, problems: c.problems };
}
