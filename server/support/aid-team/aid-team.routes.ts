import { Router } from 'express';
import { declareRoute } from '../../http/contract/api-contract';
import { toProblemBody } from '../../http/problem';
import { requireActor } from '../../identity/policy';
import { NotEligible } from '../support-errors';
import { activityBody, activityListQuery, aidTeamLabels as labels, endBody, idParams, memberBody, memberListQuery, yearOnly } from './aid-team.schemas';
import type { AidTeamService } from './aid-team.service';

/** The student aid service team (E1): members, activities, hours. */
export function aidTeamRoutes(s: AidTeamService): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Aid service team (助学服务队伍)';

  declareRoute(router, at, { method: 'post', path: '/aid-team/members', summary: 'Add a hardship student in good standing to the team (422 NOT_ELIGIBLE with reasons; 409 ALREADY_MEMBER)', tag, permission: 'aidTeam:manage', body: memberBody, labels, status: 201 }, async ({ body }, req, res) => {
    try {
      res.status(201).json(await s.addMember(requireActor(req.actor), body));
    } catch (error) {
      if (!(error instanceof NotEligible)) throw error;
      res.status(422).json({ ...toProblemBody(error, String(req.id)), reasons: error.reasons });
    }
  });
  declareRoute(router, at, { method: 'get', path: '/aid-team/members', summary: 'Team members in the caller’s scope, paged by id', tag, permission: 'support:read', query: memberListQuery, labels }, async ({ query }, req, res) => {
    res.json(await s.listMembers(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'get', path: '/aid-team/members/:id', summary: 'One membership', tag, permission: 'support:read', params: idParams, labels }, async ({ params }, req, res) => {
    res.json(s.presentMember(await s.findMember(requireActor(req.actor), params.id)));
  });
  declareRoute(router, at, { method: 'post', path: '/aid-team/members/:id/end', summary: 'End a membership (the student may join again later)', tag, permission: 'aidTeam:manage', params: idParams, body: endBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    res.json(await s.endMember(requireActor(req.actor), params.id, body));
  });
  declareRoute(router, at, { method: 'get', path: '/aid-team/members/:id/summary', summary: 'A member’s year: activities and hours, by kind', tag, permission: 'support:read', params: idParams, query: yearOnly, labels }, async ({ params, query }, req, res) => {
    res.json(await s.memberSummary(requireActor(req.actor), params.id, query.year));
  });
  declareRoute(router, at, { method: 'post', path: '/aid-team/activities', summary: 'Log an activity with each participating current member’s hours (0.5–24)', tag, permission: 'aidTeam:manage', body: activityBody, labels, status: 201 }, async ({ body }, req, res) => {
    res.status(201).json(await s.logActivity(requireActor(req.actor), body));
  });
  declareRoute(router, at, { method: 'get', path: '/aid-team/activities', summary: 'Team activities in the caller’s scope, paged by id', tag, permission: 'support:read', query: activityListQuery, labels }, async ({ query }, req, res) => {
    res.json(await s.listActivities(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'get', path: '/aid-team/summary', summary: 'One row per member: the year’s activities and hours, by kind', tag, permission: 'support:read', query: yearOnly, labels }, async ({ query }, req, res) => {
    res.json(await s.yearSummary(requireActor(req.actor), query.year));
  });
  return router;
}
