import { Router, type Request } from 'express';
import { declareRoute } from '../../http/contract/api-contract';
import { requireActor } from '../../identity/policy';
import { callBody, callListQuery, callParams, reachLabels as labels, reminderParams } from './reach.schemas';
import type { LetterReach } from './reach.service';

/** B6 §5: reminders to families who did not read the letter, the counselors' call list and the calls made. */
export function letterReachRoutes(reach: LetterReach, publicUrl?: string): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Term letters (致家长的一封信)';
  const base = (req: Request) => publicUrl ?? `${req.protocol}://${req.get('host')}`;

  declareRoute(router, at, { method: 'post', path: '/letter-campaigns/:id/reminders', summary: 'Up to 100 families due a reminder (sent over reminderAfterDays ago, not opened, not reminded), each handed out once, with link and SMS text', tag, permission: 'letters:manage', params: reminderParams, labels, status: 200 }, async ({ params }, req, res) => {
    res.json(await reach.claimReminders(requireActor(req.actor), params.id, base(req)));
  });
  declareRoute(router, at, { method: 'get', path: '/family-letters/calls', summary: 'Families to call (reminded and still unread, and families of special students) in the caller’s scope, until called', tag, permission: 'letters:read', query: callListQuery, labels }, async ({ query }, req, res) => {
    res.json(await reach.callList(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'post', path: '/family-letters/:id/call', summary: 'A call to the family made (reached, noAnswer, wrongNumber): logged as a contact with the family', tag, permission: 'letters:read', params: callParams, body: callBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    res.json(await reach.recordCall(requireActor(req.actor), params.id, body));
  });
  return router;
}
