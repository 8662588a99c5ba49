import { Router, type Response } from 'express';
import { declareRoute } from '../../http/contract/api-contract';
import type { Actor } from '../../identity/actor';
import { requireActor } from '../../identity/policy';
import { ifMatchRevision } from '../../visits/campaign-errors';
import type { RoutingRulesService } from './routing-rules.service';
import type { TicketRecord, TicketsService } from './tickets.service';
import { reassignBody, routingRulesBody, ticketLabels as labels, ticketListQuery, ticketParams, ticketTextBody } from './tickets.schemas';

/** B6 §4: feedback tickets as staff handle them (有回应、有落实), and the rules that route feedback to its owner. */
export function ticketsRoutes(tickets: TicketsService, routing: RoutingRulesService): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Term-letter feedback (家长反馈)';
  const send = async (res: Response, actor: Actor, ticket: TicketRecord) => {
    res.setHeader('ETag', `"${ticket.revision}"`);
    res.json(await tickets.presentOne(actor, ticket));
  };

  declareRoute(router, at, { method: 'get', path: '/feedback-tickets', summary: 'Feedback tickets in the caller’s scope, earliest due first (`next` pages on)', tag, permission: 'letters:read', query: ticketListQuery, labels }, async ({ query }, req, res) => {
    res.json(await tickets.list(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'get', path: '/feedback-tickets/:id', summary: 'One feedback ticket: the parent’s text, responses, follow-through; ETag is its revision', tag, permission: 'letters:read', params: ticketParams, labels }, async ({ params }, req, res) => {
    const actor = requireActor(req.actor);
    await send(res, actor, await tickets.find(actor, params.id));
  });
  declareRoute(router, at, { method: 'post', path: '/feedback-tickets/:id/response', summary: 'Answer the parent (shown on their letter page); the ticket is responded (If-Match optional)', tag, permission: 'feedback:respond', params: ticketParams, body: ticketTextBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    const actor = requireActor(req.actor);
    await send(res, actor, await tickets.respond(actor, params.id, body.text, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'post', path: '/feedback-tickets/:id/follow-through', summary: 'Record what was done about the feedback, by whom and when (If-Match optional)', tag, permission: 'feedback:respond', params: ticketParams, body: ticketTextBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    const actor = requireActor(req.actor);
    await send(res, actor, await tickets.followThrough(actor, params.id, body.text, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'post', path: '/feedback-tickets/:id/close', summary: 'Close the ticket: 409 TICKET_INCOMPLETE unless a response and a follow-through exist since the last reopening', tag, permission: 'feedback:respond', params: ticketParams, labels, status: 200 }, async ({ params }, req, res) => {
    const actor = requireActor(req.actor);
    await send(res, actor, await tickets.close(actor, params.id, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'post', path: '/feedback-tickets/:id/reassign', summary: 'Hand the ticket to another staff member (letters:manage, or a leader of its college)', tag, permission: 'letters:read', params: ticketParams, body: reassignBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    const actor = requireActor(req.actor);
    await send(res, actor, await tickets.reassign(actor, params.id, body.owner, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'get', path: '/letter-routing', summary: 'Feedback routing rules (topic, college → owner); ETag is their revision', tag, permission: 'letters:read', labels }, async (_input, req, res) => {
    const rules = await routing.get(requireActor(req.actor));
    res.setHeader('ETag', `"${rules.revision}"`).json(rules);
  });
  declareRoute(router, at, { method: 'put', path: '/letter-routing', summary: 'Replace the routing rules (If-Match: their ETag, "0" before the first save); each rule checked', tag, permission: 'letters:manage', body: routingRulesBody, labels, status: 200 }, async ({ body }, req, res) => {
    const rules = await routing.replace(requireActor(req.actor), body.rules, ifMatchRevision(req.get('If-Match')));
    res.setHeader('ETag', `"${rules.revision}"`).json(rules);
  });
  return router;
}
