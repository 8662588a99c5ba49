import { Router } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod/v4';
import { declareRoute } from '../http/contract/api-contract';
import { recordRef } from '../http/contract/fields';
import { sendWorkbook, XLSX_TYPE } from '../http/xlsx-download';
import { requireActor } from '../identity/policy';
import type { DashboardRefresher } from './dashboard-refresher';
import { dashboardSheets } from './dashboard-sheet';
import type { DashboardService } from './dashboard.service';

const dashboardQuery = z
  .object({
    college: recordRef.optional().describe('college id or code (school-wide roles; a college leader only their own)'),
    counselor: recordRef.optional().describe('counselor id or username'),
  })
  .strict();
const labels = { college: '学院', counselor: '辅导员' };

/** F1: dashboards per counselor, college and school, their export, and a recomputation on demand. */
export function dashboardRoutes(dashboards: DashboardService, refresher: DashboardRefresher): Router {
  const router = Router();
  const tag = 'Dashboards (数据看板)';

  declareRoute(router, '/api', { method: 'get', path: '/dashboard', summary: 'Stale archives, overdue contacts by tier, cases by category and age, 喜报, visit coverage — for a counselor, a college or the school (figures as of computedAt)', tag, permission: 'dashboards:read', query: dashboardQuery, labels }, async ({ query }, req, res) => {
    const started = performance.now();
    const view = await dashboards.view(requireActor(req.actor), query);
    res.setHeader('Server-Timing', `app;dur=${(performance.now() - started).toFixed(1)}`);
    res.json(view);
  });

  declareRoute(router, '/api', { method: 'get', path: '/dashboard.xlsx', summary: 'The same dashboard as a spreadsheet', tag, permission: 'dashboards:read', query: dashboardQuery, labels, produces: XLSX_TYPE }, async ({ query }, req, res) => {
    const view = await dashboards.view(requireActor(req.actor), query);
    const scope = view.scope.counselor?.name ?? view.scope.college?.name ?? '全校';
    await sendWorkbook(res, `数据看板-${scope}-${DateTime.fromJSDate(view.computedAt).setZone('Asia/Shanghai').toFormat('yyyyLLdd-HHmm')}.xlsx`, dashboardSheets(view));
  });

  declareRoute(router, '/api', { method: 'post', path: '/dashboard/refresh', summary: 'Recompute the figures now (joins a recomputation under way)', tag, permission: 'audit:read', status: 200 }, async (_input, _req, res) => {
    const snapshot = await refresher.refresh();
    res.json({ computedAt: snapshot.computedAt, computeMs: snapshot.computeMs });
  });

  return router;
}
