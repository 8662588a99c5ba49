import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../identity/actor';

/** What the data layer needs to know about the request it serves (for the audit log). */
export interface RequestContext {
  requestId: string;
  ip?: string;
  actor?: Actor;
  /** Audit entries of this request not yet written: they are written together just before its answer (see request-audit). */
  pendingAudit?: Array<Record<string, unknown>>;
  /** Why those entries could not be written: the request is then answered with this error. */
  auditFailure?: unknown;
  /** The colleges as read for this request (see collegeDirectory). */
  collegeDirectory?: Promise<Map<string, import('../colleges/colleges.service').CollegeRef>>;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
