import { Router } from 'express';
import { declareRoute } from '../http/contract/api-contract';
import { problems } from '../http/problem';
import { requireActor } from '../identity/policy';
import type { AwardsService } from './awards.service';
import type { CasesService } from './cases.service';
import { parseContactInput, type ContactsService } from './contacts.service';
import { awardBody, awardListQuery, caseBody, caseListQuery, closeCaseBody, contactBody, contactListQuery, deliveryBody, idParams, notifiedBody, overdueQuery } from './liaison.schemas';

/** Parent liaison: contacts (B1, B2, F2), key-communication cases (B4, B7), awards and good news (B3, B5). */
export function liaisonRoutes(contacts: ContactsService, cases: CasesService, awards: AwardsService): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Parent liaison (家校沟通)';

  declareRoute(router, at, { method: 'post', path: '/contacts', summary: "Log a contact with the family (parents' feedback required)", tag, permission: 'contacts:write', body: contactBody }, async ({ body }, req, res) => {
    const { value, problems: found } = parseContactInput(body);
    if (found.length) throw problems.validation(found);
    res.status(201).json(await contacts.log(requireActor(req.actor), value));
  });
  declareRoute(router, at, { method: 'get', path: '/contacts', summary: 'Contacts the caller may read', tag, permission: 'students:read', query: contactListQuery }, async ({ query }, req, res) => {
    res.json(await contacts.list(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'get', path: '/contacts/overdue', summary: 'Students whose family was not contacted within their tier’s interval, by counselor', tag, permission: 'students:read', query: overdueQuery }, async ({ query }, req, res) => {
    res.json(await contacts.overdue(requireActor(req.actor), new Date(), query.counselor, query.limit, { college: query.college, tier: query.tier }));
  });

  declareRoute(router, at, { method: 'post', path: '/cases', summary: 'Raise a key-communication alert (joins the open case of that student and category)', tag, permission: 'cases:raise', body: caseBody }, async ({ body }, req, res) => {
    const result = await cases.raise(requireActor(req.actor), { student: body.student ?? '', category: body.category ?? '', description: body.description ?? '', department: body.department });
    res.status(result.joined ? 200 : 201).json(result);
  });
  declareRoute(router, at, { method: 'get', path: '/cases', summary: 'Cases the caller may read', tag, permission: 'students:read', query: caseListQuery }, async ({ query }, req, res) => {
    res.json(await cases.list(requireActor(req.actor), { ...query, overdue: query.overdue ?? false }));
  });
  declareRoute(router, at, { method: 'post', path: '/cases/escalations', summary: 'Escalate overdue cases (each once)', tag, permission: 'cases:escalate', status: 200 }, async (_input, req, res) => {
    res.json({ escalated: await cases.escalateOverdue(requireActor(req.actor)) });
  });
  declareRoute(router, at, { method: 'get', path: '/cases/:id', summary: 'One case', tag, permission: 'cases:raise', params: idParams }, async ({ params }, req, res) => {
    res.json(await cases.present(await cases.get(requireActor(req.actor), params.id)));
  });
  declareRoute(router, at, { method: 'post', path: '/cases/:id/close', summary: 'Close a case with a contact logged after it opened', tag, permission: 'cases:manage', params: idParams, body: closeCaseBody, status: 200 }, async ({ params, body }, req, res) => {
    res.json(await cases.close(requireActor(req.actor), params.id, { contact: body.contact ?? '', resolution: body.resolution ?? '' }));
  });

  declareRoute(router, at, { method: 'post', path: '/awards', summary: 'Record an award or penalty (opens a notify-parents task; qualifying awards get a 喜报)', tag, permission: 'awards:record', body: awardBody }, async ({ body }, req, res) => {
    res.status(201).json(await awards.record(requireActor(req.actor), body));
  });
  declareRoute(router, at, { method: 'get', path: '/awards', summary: 'Awards and penalties the caller may read', tag, permission: 'students:read', query: awardListQuery }, async ({ query }, req, res) => {
    res.json(await awards.list(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'post', path: '/awards/:id/notified', summary: 'Close the notify-parents task with a logged contact', tag, permission: 'awards:record', params: idParams, body: notifiedBody, status: 200 }, async ({ params, body }, req, res) => {
    res.json(await awards.closeNotification(requireActor(req.actor), params.id, body.contact ?? ''));
  });
  declareRoute(router, at, { method: 'get', path: '/awards/:id/letter', summary: 'The 喜报 as a print view', tag, permission: 'students:read', params: idParams, produces: 'text/html' }, async ({ params }, req, res) => {
    res.type('html').send(await awards.letterHtml(requireActor(req.actor), params.id));
  });
  declareRoute(router, at, { method: 'get', path: '/awards/:id/letter.pdf', summary: 'The 喜报 as PDF', tag, permission: 'students:read', params: idParams, produces: 'application/pdf' }, async ({ params }, req, res) => {
    const pdf = await awards.letterPdf(requireActor(req.actor), params.id);
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="good-news-${params.id}.pdf"`);
    res.send(pdf);
  });
  declareRoute(router, at, { method: 'post', path: '/awards/:id/letter/deliveries', summary: 'Record a delivery of the 喜报', tag, permission: 'awards:record', params: idParams, body: deliveryBody }, async ({ params, body }, req, res) => {
    res.status(201).json(await awards.recordDelivery(requireActor(req.actor), params.id, { channel: body.channel ?? '', note: body.note }));
  });

  return router;
}
