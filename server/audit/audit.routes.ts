import { Router } from 'express';
import { pageParams } from '../http/body-reader';
import { requirePermission } from '../identity/policy';
import { AUDIT_ACTIONS, type AuditAction } from './audit-entry.model';
import { listAudit } from './audit.service';

export function auditRoutes(): Router {
  const router = Router();
  router.get('/audit', requirePermission('audit:read'), async (req, res) => {
    const page = pageParams(req.query, 500);
    const action = typeof req.query.action === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(req.query.action)
      ? (req.query.action as AuditAction)
      : undefined;
    const { items, total } = await listAudit({
      ...page,
      action,
      resourceType: typeof req.query.resourceType === 'string' ? req.query.resourceType : undefined,
      resourceId: typeof req.query.resourceId === 'string' ? req.query.resourceId : undefined,
      userId: typeof req.query.userId === 'string' && /^[0-9a-f]{24}$/.test(req.query.userId) ? req.query.userId : undefined,
    });
    res.json({ items, total, ...page });
  });
  return router;
}
