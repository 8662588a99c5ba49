import { problems, type FieldProblem } from './problem';

/**
 * Reads fields from a JSON body, collecting every problem (field, reason in Chinese and English)
 * before failing once with all of them.
 */
export class BodyReader {
  private readonly problems: FieldProblem[] = [];
  private readonly body: Record<string, unknown>;

  constructor(body: unknown) {
    this.body = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  }

  private fail(path: string, zh: string, en: string, rule: string): undefined {
    this.problems.push({ path, message: zh, messageEn: en, rule });
    return undefined;
  }

  string(path: string, options: { required?: boolean; max?: number; pattern?: RegExp; labelZh?: string } = {}): string | undefined {
    const label = options.labelZh ?? path;
    const value = this.body[path];
    if (value === undefined || value === null || value === '') {
      return options.required ? this.fail(path, `${label}为必填项`, `${path} is required`, 'required') : undefined;
    }
    if (typeof value !== 'string') return this.fail(path, `${label}必须是文本`, `${path} must be a string`, 'type');
    if (options.max && value.length > options.max) {
      return this.fail(path, `${label}不能超过 ${options.max} 个字符`, `${path} must have at most ${options.max} characters`, 'maxLength');
    }
    if (options.pattern && !options.pattern.test(value)) return this.fail(path, `${label}格式不正确`, `${path} has the wrong format`, 'pattern');
    return value;
  }

  stringArray<T extends string>(path: string, allowed: readonly T[], options: { required?: boolean } = {}): T[] {
    const value = this.body[path];
    if (value === undefined) {
      if (options.required) this.fail(path, `${path}为必填项`, `${path} is required`, 'required');
      return [];
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !(allowed as readonly string[]).includes(v))) {
      this.fail(path, `${path}只能包含：${allowed.join('、')}`, `${path} may only contain: ${allowed.join(', ')}`, 'enum');
      return [];
    }
    return value as T[];
  }

  /** Throws one validation problem listing every bad field. */
  done(): void {
    if (this.problems.length > 0) throw problems.validation(this.problems);
  }
}

export function pageParams(query: Record<string, unknown>, maxLimit = 100): { limit: number; skip: number } {
  const limit = Math.min(Math.max(Number.parseInt(String(query.limit ?? '10'), 10) || 10, 1), maxLimit);
  const skip = Math.max(Number.parseInt(String(query.skip ?? '0'), 10) || 0, 0);
  return { limit, skip };
}

/** The request body as a plain object (anything else reads as empty, so field checks report what is missing). */
export function bodyObject(req: { body?: unknown }): Record<string, unknown> {
  return req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
}
