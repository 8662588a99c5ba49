import { Router, type Response } from 'express';
import { declareRoute } from '../../../http/contract/api-contract';
import { requireActor } from '../../../identity/policy';
import { ifMatchRevision } from '../../campaign-errors';
import { declineBody, proposalLabels as labels, proposalListQuery, proposalParams } from './archive-proposals.schemas';
import type { ArchiveProposalsService } from './archive-proposals.service';

function withEtag<T extends { revision: number }>(res: Response, record: T): void {
  res.setHeader('ETag', `"${record.revision}"`);
  res.json(record);
}

/** Archive changes proposed by visit reports (D8), confirmed or declined by the student's college. */
export function archiveProposalsRoutes(proposals: ArchiveProposalsService): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Home visits (家访)';

  declareRoute(router, at, { method: 'get', path: '/archive-proposals', summary: 'Archive changes proposed by visit reports within the caller’s archive scope, newest first, paged (sealed values never listed)', tag, permission: 'students:read', query: proposalListQuery, labels }, async ({ query }, req, res) => {
    res.json(await proposals.list(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'get', path: '/archive-proposals/:id', summary: 'One proposal; a sealed value only within the sensitive scope (read audited); ETag is its revision', tag, permission: 'students:read', params: proposalParams, labels }, async ({ params }, req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    withEtag(res, await proposals.get(requireActor(req.actor), params.id));
  });
  declareRoute(router, at, { method: 'post', path: '/archive-proposals/:id/confirm', summary: 'Confirm: the change lands in the archive through its revision-checked write, history "from visit report … v…"; 409 STALE_PROPOSAL when the archive field changed since the report was submitted (If-Match: its ETag)', tag, permission: 'students:write', params: proposalParams, labels, status: 200 }, async ({ params }, req, res) => {
    withEtag(res, await proposals.decide(requireActor(req.actor), params.id, 'confirmed', { expectedRevision: ifMatchRevision(req.get('If-Match')) }));
  });
  declareRoute(router, at, { method: 'post', path: '/archive-proposals/:id/decline', summary: 'Decline: the archive stays as it is (If-Match: its ETag)', tag, permission: 'students:write', params: proposalParams, body: declineBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    withEtag(res, await proposals.decide(requireActor(req.actor), params.id, 'declined', { expectedRevision: ifMatchRevision(req.get('If-Match')), reason: body.reason }));
  });

  return router;
}
