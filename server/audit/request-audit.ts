import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { errorHandler } from '../http/error-handler';
import { currentContext } from '../http/request-context';
import { AuditEntryModel } from './audit-entry.model';

/** Headers of an answer that is replaced by an error. */
const ANSWER_HEADERS = ['Content-Type', 'Content-Length', 'Content-Disposition', 'ETag'];

/**
 * Writes the audit entries the current request has recorded so far (see `recordAudit`). They stay pending
 * until written, so a failed attempt can be made again; entries recorded meanwhile go in the next insert.
 */
export async function writeRequestAudit(context = currentContext()): Promise<void> {
  const pending = context?.pendingAudit;
  if (context?.auditFailure) throw context.auditFailure;
  try {
    while (pending?.length) {
      const batch = pending.slice();
      // Ordered: an entry the schema refuses fails the insert instead of being skipped.
      await AuditEntryModel.insertMany(batch, { ordered: true });
      pending.splice(0, batch.length);
    }
  } catch (error) {
    // Once failed, the request's answer is the error, whoever asks next (the answer or its idempotency record).
    if (context) context.auditFailure = error;
    throw error;
  }
}

/**
 * The write entries of one request (create, update, delete) are written together, in one insert, just
 * before its answer is completed — one round trip where a request that writes five records made ten.
 * Should that insert fail, an answer not yet begun is replaced by the error (a 503 when the database is
 * away, as when one entry at a time failed) and a streamed one is cut off: no answer completes without its
 * write entries. Reads of sensitive fields and sign-ins are written at once, before any data leaves. A
 * request whose client went away still writes its entries; entries recorded after the answer (work the
 * request left running) are written one by one, as outside a request.
 */
export function auditPerRequest(log: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const context = currentContext();
    if (!context) return next();
    const pending: Array<Record<string, unknown>> = [];
    context.pendingAudit = pending;
    const write = () => writeRequestAudit(context);
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let ending = false;
    res.end = ((...args: unknown[]) => {
      // The first answer wins: a later end (a handler that answered, then threw) is not a second answer.
      if (ending) return res;
      if (pending.length === 0 && !context.auditFailure) {
        context.pendingAudit = undefined;
        return end(...args);
      }
      ending = true;
      // While the entries are written the answer is taken: an error raised meanwhile does not rewrite it.
      res.locals.answerTaken = true;
      write().then(
        () => {
          context.pendingAudit = undefined;
          try {
            end(...args);
          } catch (error) {
            log.error({ err: error, requestId: context.requestId }, 'answer not completed');
          }
        },
        (error: unknown) => {
          const lost = pending.splice(0);
          context.pendingAudit = undefined;
          log.error({ err: error, requestId: context.requestId, entries: lost.length }, 'audit entries of a request not written; its answer is withheld');
          if (res.headersSent) return void res.destroy(error as Error);
          for (const header of ANSWER_HEADERS) res.removeHeader(header);
          ending = false;
          res.locals.answerTaken = false;
          context.auditFailure = undefined;
          errorHandler(error, req, res, next);
        },
      );
      return res;
    }) as Response['end'];
    res.once('close', () => {
      if (ending || pending.length === 0 || context.auditFailure) return;
      write().catch((error: unknown) => log.error({ err: error, requestId: context.requestId }, 'audit entries of an abandoned request not written'));
    });
    next();
  };
}

