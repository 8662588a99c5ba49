import { Router } from 'express';
import { z } from 'zod/v4';
import { page, recordRef } from '../../../http/contract/fields';
import { declareRoute } from '../../../http/contract/api-contract';
import { requireActor } from '../../../identity/policy';
import type { VisitHistoryService } from './visit-history.service';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a record id');
const campaignParams = z.object({ id: objectId }).strict();
const revisitQuery = z.object({ college: recordRef.describe('college id or code'), ...page(500) }).strict();
const studentParams = z.object({ id: recordRef.describe('archive id or student number') }).strict();
const labels = { id: '编号', college: '学院', limit: '每页条数', skip: '跳过条数' };

/** D8 continuous cultivation: revisit candidates of a campaign, and a student's visit timeline. */
export function visitHistoryRoutes(history: VisitHistoryService): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Home visits (家访)';

  declareRoute(router, at, { method: 'get', path: '/visit-campaigns/:id/revisit-candidates', summary: 'Students of a college visited in earlier campaigns, with their last visit in brief (nothing sensitive), leaving out those this campaign already plans or reports on; paged', tag, permission: 'visits:read', params: campaignParams, query: revisitQuery, labels }, async ({ params, query }, req, res) => {
    res.json(await history.revisitCandidates(requireActor(req.actor), params.id, query.college, query));
  });
  declareRoute(router, at, { method: 'get', path: '/students/:id/visits', summary: 'The student’s submitted home visits across campaigns and years, newest first, in brief (scope as reading the student)', tag, permission: 'students:read', params: studentParams, labels }, async ({ params }, req, res) => {
    res.json(await history.timeline(requireActor(req.actor), params.id));
  });

  return router;
}
