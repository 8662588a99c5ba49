import { Router } from 'express';
import { z } from 'zod/v4';
import { declareRoute } from '../http/contract/api-contract';
import { page } from '../http/contract/fields';
import { AUDIT_ACTIONS } from './audit-entry.model';
import { listAudit } from './audit.service';

const auditQuery = z
  .object({
    action: z.enum(AUDIT_ACTIONS).optional(),
    resourceType: z.string().max(40).optional(),
    resourceId: z.string().max(60).optional(),
    userId: z.string().regex(/^[0-9a-f]{24}$/, 'a user id').optional(),
    ...page(500),
  })
  .strict();

export function auditRoutes(): Router {
  const router = Router();
  declareRoute(router, '/api', { method: 'get', path: '/audit', summary: 'Who read or changed what, when (sensitive reads included)', tag: 'Audit (审计)', permission: 'audit:read', query: auditQuery }, async ({ query }, _req, res) => {
    const { items, total } = await listAudit(query);
    res.json({ items, total, limit: query.limit, skip: query.skip });
  });
  return router;
}
