import 'pino-http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import mongoose from 'mongoose';
import { ApiError, problems, toFormioValidationBody, toProblemBody } from './problem';

function fromMongoose(error: unknown): ApiError | undefined {
  if (error instanceof mongoose.Error.ValidationError) {
    return problems.validation(
      Object.values(error.errors).map((e) => ({
        path: e.path,
        message: `${e.path} 无效：${e.message}`,
        messageEn: e.message,
        rule: e.kind,
      })),
    );
  }
  if (error instanceof mongoose.Error.CastError) {
    return problems.badRequest(`Invalid value for ${error.path}`, `${error.path} 的值无效`, [
      { path: error.path, message: '格式不正确', messageEn: 'Malformed value', rule: 'cast' },
    ]);
  }
  if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000) {
    return problems.conflict('A record with the same unique value already exists', '已存在具有相同唯一值的记录');
  }
  return undefined;
}

const { MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError, MongoTopologyClosedError, MongoServerClosedError, MongoOperationTimeoutError } = mongoose.mongo;
const UNREACHABLE = [MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError, MongoTopologyClosedError, MongoServerClosedError, MongoOperationTimeoutError];

/**
 * The database could not be reached (stopped, restarting, network): a quick 503 the client may retry,
 * never a 500 — and the request's own writes either happened before that or not at all.
 */
function fromUnreachableDatabase(error: unknown): ApiError | undefined {
  const unreachable =
    UNREACHABLE.some((type) => error instanceof type) ||
    (error instanceof Error && error.name === 'PoolClearedError') ||
    (error instanceof mongoose.Error && /buffering timed out|Client must be connected/i.test(error.message));
  return unreachable
    ? problems.unavailable('The database cannot be reached right now; try again in a moment', '数据库暂时无法连接，请稍后重试', 'DATABASE_UNAVAILABLE')
    : undefined;
}

/** Maps body-parser / multer errors (which carry `type`, `status` or `code`) onto the problem shape. */
function fromHttpLayer(error: unknown): ApiError | undefined {
  // Driver errors carry numeric codes; only multer's are strings.
  const e = error as { type?: string; status?: number; code?: string | number };
  if (e?.type === 'entity.too.large' || e?.code === 'LIMIT_FILE_SIZE') {
    return problems.tooLarge('The request body is too large', '请求内容过大');
  }
  if (e?.type === 'entity.parse.failed') return problems.badRequest('The body is not valid JSON', '请求内容不是有效的 JSON');
  if (typeof e?.code === 'string' && e.code.startsWith('LIMIT_')) return problems.badRequest(`Upload rejected: ${e.code}`, `上传被拒绝：${e.code}`);
  if (e?.status && e.status >= 400 && e.status < 500) return new ApiError(e.status, 'BAD_REQUEST', 'Bad request', '请求无效');
  return undefined;
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'ROUTE_NOT_FOUND', `No route ${req.method} ${req.path}`, `没有此接口：${req.method} ${req.path}`));
};

export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const apiError =
    error instanceof ApiError ? error : (fromUnreachableDatabase(error) ?? fromMongoose(error) ?? fromHttpLayer(error) ?? undefined);
  if (!apiError) {
    req.log.error({ err: error }, 'unhandled error');
  } else if (apiError.status >= 500) {
    req.log.error({ err: error }, apiError.code);
  }
  const problem = apiError ?? new ApiError(500, 'INTERNAL', 'Internal error', '服务器内部错误');
  // An answer already given (or being completed after its audit entries, see request-audit) stays the answer.
  if (res.headersSent || res.locals.answerTaken === true) return;
  if (problem.status === 503) res.setHeader('Retry-After', '5');
  const formioShape = res.locals.formioValidationErrors === true && problem.errorName === 'ValidationError';
  res.status(problem.status).json(formioShape ? toFormioValidationBody(problem, String(req.id)) : toProblemBody(problem, String(req.id)));
};

/** Marks routes whose validation errors are rendered the way the Form.io SDK reads them (submission endpoints). */
export const formioValidationErrors: RequestHandler = (_req, res, next) => {
  res.locals.formioValidationErrors = true;
  next();
};
