/** One problem with one field of a request, in the shape @formio/js understands (path + message). */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `data.photos` or `guardians[0].phone`. */
  path: string;
  /** Chinese message shown under the field. */
  message: string;
  messageEn: string;
  /** Machine name of the broken rule (`required`, `minLength`, `photoCount`…). */
  rule?: string;
}

/**
 * The service's single error type. Rendered as RFC 9457 problem details with a machine code,
 * a Chinese and an English message, and per-field details.
 */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    public readonly messageEn: string,
    public readonly messageZh: string,
    public readonly details: FieldProblem[] = [],
    /** Form.io's error name for submission validation (`ValidationError`). */
    public readonly errorName?: string,
  ) {
    super(`${messageZh} / ${messageEn}`);
    this.name = 'ApiError';
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  name: string;
  message: string;
  messageEn: string;
  messageZh: string;
  details: FieldProblem[];
  requestId?: string;
}

export function toProblemBody(error: ApiError, requestId?: string): ProblemBody {
  return {
    type: `urn:home-school-bridge:problem:${error.code}`,
    title: error.messageEn,
    status: error.status,
    code: error.code,
    name: error.errorName ?? 'ApiError',
    message: error.message,
    messageEn: error.messageEn,
    messageZh: error.messageZh,
    details: error.details,
    requestId,
  };
}

/** One field error as @formio/js's Webform reads it (`path` or `context.path` names the component). */
export interface FormioFieldError extends FieldProblem {
  level: 'error';
  context: { key: string; path: string; validator?: string };
}

/**
 * A submission's ValidationError as the Form.io SDK needs it: everything of the problem body except the
 * top-level `message`. The SDK (`@formio/core` sdk/Formio.js, `request()`) turns any rejected value
 * that has a `message` into "Could not connect to API server", losing `details`.
 */
export type FormioValidationBody = Omit<ProblemBody, 'message' | 'details'> & { details: FormioFieldError[] };

/** `guardians[0].phone` → `phone`: Form.io's `context.key` is the component key without its parents. */
function componentKey(path: string): string {
  return path.split('.').pop()!.replace(/\[\d+\]/g, '');
}

export function toFormioValidationBody(error: ApiError, requestId?: string): FormioValidationBody {
  const { message: _message, details, ...rest } = toProblemBody(error, requestId);
  return {
    ...rest,
    details: details.map((detail) => ({
      ...detail,
      level: 'error',
      context: { key: componentKey(detail.path), path: detail.path, validator: detail.rule },
    })),
  };
}

export const problems = {
  badRequest: (en: string, zh: string, details: FieldProblem[] = []) => new ApiError(400, 'BAD_REQUEST', en, zh, details),
  validation: (details: FieldProblem[]) =>
    new ApiError(400, 'VALIDATION_FAILED', 'Some fields are invalid', '部分字段填写有误', details, 'ValidationError'),
  unauthenticated: () => new ApiError(401, 'UNAUTHENTICATED', 'Sign in or send a valid API key', '请先登录或提供有效的 API 密钥'),
  /** 440 is Form.io's "login time-out": the SDK then drops its stored token and emits `formio.sessionExpired`. */
  sessionExpired: () => new ApiError(440, 'SESSION_EXPIRED', 'Your session has expired, sign in again', '登录已过期，请重新登录'),
  forbidden: (en = 'Your role may not do this', zh = '您的角色无权执行此操作') => new ApiError(403, 'FORBIDDEN', en, zh),
  notFound: (what: string, whatZh: string) => new ApiError(404, 'NOT_FOUND', `${what} not found`, `未找到${whatZh}`),
  conflict: (en: string, zh: string) => new ApiError(409, 'CONFLICT', en, zh),
  tooLarge: (en: string, zh: string) => new ApiError(413, 'PAYLOAD_TOO_LARGE', en, zh),
  unsupportedMedia: (en: string, zh: string) => new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', en, zh),
  tooManyRequests: () => new ApiError(429, 'TOO_MANY_REQUESTS', 'Too many requests, try again later', '请求过于频繁，请稍后再试'),
  unavailable: (en: string, zh: string, code = 'UNAVAILABLE') => new ApiError(503, code, en, zh),
};
