import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { currentContext } from '../http/request-context';
import { AuditEntryModel } from './audit-entry.model';

/**
 * The audit entries of one request are written together, in one insert, just before its answer is
 * completed — one round trip where a request that writes five records made ten. Should that insert fail,
 * an answer not yet begun becomes the error instead of its result (as when one entry at a time failed),
 * and a streamed one is cut off, so no complete answer leaves an unaudited write behind. Entries recorded
 * after the answer (work the request left running) are written one by one, as outside a request.
 */
export function auditPerRequest(log: Logger): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const context = currentContext();
    if (!context) return next();
    const pending: Array<Record<string, unknown>> = [];
    context.pendingAudit = pending;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    const writePending = async () => {
      // Entries recorded while an insert is under way (parallel work of the request) go in the next one.
      while (pending.length) await AuditEntryModel.insertMany(pending.splice(0), { ordered: true });
      context.pendingAudit = undefined;
    };
    res.end = ((...args: unknown[]) => {
      if (pending.length === 0) {
        context.pendingAudit = undefined;
        return end(...args);
      }
      writePending().then(
        () => end(...args),
        (error: unknown) => {
          context.pendingAudit = undefined;
          log.error({ err: error, requestId: context.requestId }, 'audit entries of a request not written; the answer is withheld');
          if (res.headersSent) res.destroy(error as Error);
          else next(error);
        },
      );
      return res;
    }) as Response['end'];
    next();
  };
}
