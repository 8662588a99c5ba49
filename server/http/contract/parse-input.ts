import { z } from 'zod/v4';
import { zhCN } from 'zod/v4/locales';
import { problems, type FieldProblem } from '../problem';

export type InputPart = 'body' | 'query' | 'params' | 'headers';

const chinese = zhCN().localeError;

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Chinese names of fields, by path (`guardians[0].phone` → look-up by `guardians.phone`, then `phone`). */
export type FieldLabels = Record<string, string>;

function labelOf(path: string, labels: FieldLabels): string {
  const generic = path.replace(/\[\d+\]/g, '');
  return labels[path] ?? labels[generic] ?? labels[generic.split('.').pop() ?? ''] ?? path;
}

/** One problem per field; an unknown parameter is named as the field it is; a missing one is "required". */
function toProblems(english: z.core.$ZodIssue[], zh: z.core.$ZodIssue[], labels: FieldLabels): FieldProblem[] {
  return english.flatMap((issue, index) => {
    const base = pathOf(issue);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: base ? `${base}.${key}` : key,
        message: `不允许的参数“${key}”`,
        messageEn: `unknown parameter "${key}"`,
        rule: 'unknown',
      }));
    }
    const label = base ? labelOf(base, labels) : '(请求内容)';
    if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined && base) {
      return [{ path: base, message: `${label}为必填项`, messageEn: `${base} is required`, rule: 'required' }];
    }
    return [{ path: base, message: `${label}：${zh[index]?.message ?? issue.message}`, messageEn: `${base || '(the request)'}: ${issue.message}`, rule: issue.code }];
  });
}

/**
 * Parses one part of a request with its schema. Unknown or operator parameters, wrong types and bad
 * values are one 400 naming every field, in Chinese and English; nothing is coerced silently.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, part: InputPart, labels: FieldLabels = {}): z.output<S> {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  const zh = schema.safeParse(value, { error: chinese });
  const details = toProblems(parsed.error.issues, zh.success ? [] : zh.error.issues, labels);
  if (part === 'body') throw problems.validation(details);
  const where = { query: '查询参数', params: '路径参数', headers: '请求头' }[part];
  throw problems.badRequest(`Invalid ${part} parameters`, `${where}无效`, details);
}
