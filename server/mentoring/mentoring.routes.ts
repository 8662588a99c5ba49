import { Router, type Response } from 'express';
import { declareRoute } from '../http/contract/api-contract';
import { requireActor } from '../identity/policy';
import { ifMatchRevision } from '../visits/campaign-errors';
import type { MentoringGroupRecord } from './mentoring-group.model';
import { presentActivity, type MentoringGroupsService } from './mentoring-groups.service';
import { mentoringReport } from './mentoring-report';
import {
  activityBody, activityListQuery, approveBody, closeBody, groupListQuery, groupParams, membersBody, mentoringLabels as labels, proposalBody, rejectBody, reportQuery, suggestionsQuery,
} from './mentoring.schemas';

/** C1–C2: mentoring groups (结对帮扶) — suggestions, proposal, approval, members, the activity log, closing, the mentee, silent groups, the report. */
export function mentoringRoutes(groups: MentoringGroupsService): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Mentoring groups (结对帮扶)';
  const send = async (res: Response, group: MentoringGroupRecord, status = 200) => {
    res.status(status).setHeader('ETag', `"${group.revision}"`);
    res.json(await groups.presentOne(group));
  };

  // The fixed paths come before `/:id`.
  declareRoute(router, at, { method: 'get', path: '/mentoring-groups/suggestions', summary: 'Teachers who may join a student’s group, least loaded (proposed + active groups) first, then those who counsel the student’s major', tag, permission: 'mentoring:propose', query: suggestionsQuery, labels }, async ({ query }, req, res) => {
    res.json(await groups.suggestions(requireActor(req.actor), query.student));
  });
  declareRoute(router, at, { method: 'get', path: '/mentoring-groups/inactive', summary: 'Active groups with no activity for HSB_MENTORING_INACTIVE_WEEKS weeks, with their leader and the weeks of silence', tag, permission: 'mentoring:log', labels }, async (_input, req, res) => {
    res.json(await groups.inactive(requireActor(req.actor)));
  });
  // support:read or mentoring:approve (a school leader reads the report, without mentoring:log): decided in mentoringReport.
  declareRoute(router, at, { method: 'get', path: '/mentoring-groups/report', summary: 'The mentoring figures per college for a period (default this month): proposed, formed, closed with outcomes, activities, active and silent groups (support:read or mentoring:approve)', tag, query: reportQuery, labels }, async ({ query }, req, res) => {
    res.json(await mentoringReport(requireActor(req.actor), query, groups.inactiveWeeks));
  });
  declareRoute(router, at, { method: 'post', path: '/mentoring-groups', summary: 'Propose a group for a special student: 3–5 teachers of the college, one leader, the needs and the plan (one proposed or active group per student)', tag, permission: 'mentoring:propose', body: proposalBody, labels, status: 201 }, async ({ body }, req, res) => {
    await send(res, await groups.propose(requireActor(req.actor), body), 201);
  });
  declareRoute(router, at, { method: 'get', path: '/mentoring-groups', summary: 'Mentoring groups in the caller’s scope, newest first (`next` pages on)', tag, permission: 'mentoring:log', query: groupListQuery, labels }, async ({ query }, req, res) => {
    res.json(await groups.list(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'get', path: '/mentoring-groups/:id', summary: 'One group with its members and their history; ETag is its revision', tag, permission: 'mentoring:log', params: groupParams, labels }, async ({ params }, req, res) => {
    await send(res, await groups.find(requireActor(req.actor), params.id));
  });
  declareRoute(router, at, { method: 'post', path: '/mentoring-groups/:id/approve', summary: 'The college’s leader (or student affairs) approves a proposed group: it starts', tag, permission: 'mentoring:approve', params: groupParams, body: approveBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    await send(res, await groups.approve(requireActor(req.actor), params.id, ifMatchRevision(req.get('If-Match')), body.onBehalfOf));
  });
  declareRoute(router, at, { method: 'post', path: '/mentoring-groups/:id/reject', summary: 'Reject a proposed group with the reason; the student may get another proposal', tag, permission: 'mentoring:approve', params: groupParams, body: rejectBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    await send(res, await groups.reject(requireActor(req.actor), params.id, body.reason, ifMatchRevision(req.get('If-Match')), body.onBehalfOf));
  });
  declareRoute(router, at, { method: 'post', path: '/mentoring-groups/:id/members', summary: 'Add, remove members or name the leader (If-Match required); 3–5 members and one leader after the change, every change kept in the history', tag, permission: 'mentoring:log', params: groupParams, body: membersBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    await send(res, await groups.changeMembers(requireActor(req.actor), params.id, body, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'post', path: '/mentoring-groups/:id/activities', summary: 'Log a meeting or action of an active group: when, how, which of the five areas, what was done, the next step', tag, permission: 'mentoring:log', params: groupParams, body: activityBody, labels, status: 201 }, async ({ params, body }, req, res) => {
    const { activity } = await groups.logActivity(requireActor(req.actor), params.id, body);
    res.status(201).json(presentActivity(activity));
  });
  declareRoute(router, at, { method: 'get', path: '/mentoring-groups/:id/activities', summary: 'The group’s activity log, newest first (readable after closing)', tag, permission: 'mentoring:log', params: groupParams, query: activityListQuery, labels }, async ({ params, query }, req, res) => {
    res.json(await groups.activities(requireActor(req.actor), params.id, query.limit, query.after));
  });
  declareRoute(router, at, { method: 'post', path: '/mentoring-groups/:id/close', summary: 'Close with the outcome (employed: employer and date; other: the reason); the log stays', tag, permission: 'mentoring:log', params: groupParams, body: closeBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    await send(res, await groups.close(requireActor(req.actor), params.id, body.outcome, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'get', path: '/mentoring-groups/:id/mentee', summary: 'The mentee’s archive as the caller may see it (the sensitive part only within their sensitive scope, each read audited)', tag, permission: 'mentoring:log', params: groupParams, labels }, async ({ params }, req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await groups.mentee(requireActor(req.actor), params.id));
  });
  return router;
}
