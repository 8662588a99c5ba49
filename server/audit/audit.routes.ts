import { Router } from 'express';
import { DateTime } from 'luxon';
import { declareRoute } from '../http/contract/api-contract';
import { sendWorkbook } from '../http/xlsx-download';
import { auditExportQuery, auditLabels, auditQuery } from './audit-query';
import { AUDIT_EXPORT_LIMIT, auditSheet, exportAudit, listAudit, withStudents, type StudentBriefs } from './audit.service';

/** `briefs`: who the audited archives belong to (the students module answers). */
export function auditRoutes(briefs: StudentBriefs): Router {
  const router = Router();
  const tag = 'Audit (审计)';
  declareRoute(router, '/api', { method: 'get', path: '/audit', summary: 'Who read or changed what, when (sensitive reads included); filter by action, who, field, days', tag, permission: 'audit:read', query: auditQuery, labels: auditLabels }, async ({ query }, _req, res) => {
    const { items, total } = await listAudit(query);
    res.json({ items: await withStudents(items, briefs), total, limit: query.limit, skip: query.skip });
  });
  declareRoute(router, '/api', { method: 'get', path: '/audit.xlsx', summary: `The filtered audit trail as a spreadsheet (newest first, at most ${AUDIT_EXPORT_LIMIT} rows)`, tag, permission: 'audit:read', query: auditExportQuery, labels: auditLabels, produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, async ({ query }, _req, res) => {
    const { items, truncated } = await exportAudit(query);
    const stamp = DateTime.now().setZone('Asia/Shanghai').toFormat('yyyyLLdd-HHmm');
    await sendWorkbook(res, `审计记录-${stamp}.xlsx`, [auditSheet(await withStudents(items, briefs), truncated)]);
  });
  return router;
}
