import { Router } from 'express';
import { bodyObject, pageParams } from '../http/body-reader';
import { problems } from '../http/problem';
import { requireActor, requirePermission } from '../identity/policy';
import type { AwardsService } from './awards.service';
import type { CasesService } from './cases.service';
import { parseContactInput, type ContactsService } from './contacts.service';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Parent liaison: contacts (B1, B2, F2), key-communication cases (B4, B7), awards and good news (B3, B5). */
export function liaisonRoutes(contacts: ContactsService, cases: CasesService, awards: AwardsService): Router {
  const router = Router();

  router.post('/contacts', requirePermission('contacts:write'), async (req, res) => {
    const { value, problems: found } = parseContactInput(bodyObject(req));
    if (found.length) throw problems.validation(found);
    res.status(201).json(await contacts.log(requireActor(req.actor), value));
  });
  router.get('/contacts', requirePermission('students:read'), async (req, res) => {
    res.json(await contacts.list(requireActor(req.actor), { ...pageParams(req.query, 200), student: str(req.query.student) || undefined }));
  });
  router.get('/contacts/overdue', requirePermission('students:read'), async (req, res) => {
    res.json(await contacts.overdue(requireActor(req.actor), new Date(), str(req.query.counselor) || undefined));
  });

  router.post('/cases', requirePermission('cases:raise'), async (req, res) => {
    const b = bodyObject(req);
    const result = await cases.raise(requireActor(req.actor), { student: str(b.student), category: str(b.category), description: str(b.description), department: str(b.department) || undefined });
    res.status(result.joined ? 200 : 201).json(result);
  });
  router.get('/cases', requirePermission('students:read'), async (req, res) => {
    res.json(await cases.list(requireActor(req.actor), { ...pageParams(req.query, 200), status: str(req.query.status) || undefined, overdue: req.query.overdue === 'true', student: str(req.query.student) || undefined }));
  });
  router.post('/cases/escalations', requirePermission('cases:escalate'), async (req, res) => {
    res.json({ escalated: await cases.escalateOverdue(requireActor(req.actor)) });
  });
  router.get('/cases/:id', requirePermission('cases:raise'), async (req, res) => {
    res.json(await cases.present(await cases.get(requireActor(req.actor), String(req.params.id))));
  });
  router.post('/cases/:id/close', requirePermission('cases:manage'), async (req, res) => {
    const b = bodyObject(req);
    res.json(await cases.close(requireActor(req.actor), String(req.params.id), { contact: str(b.contact), resolution: str(b.resolution) }));
  });

  router.post('/awards', requirePermission('awards:record'), async (req, res) => {
    res.status(201).json(await awards.record(requireActor(req.actor), bodyObject(req)));
  });
  router.get('/awards', requirePermission('students:read'), async (req, res) => {
    res.json(await awards.list(requireActor(req.actor), { ...pageParams(req.query, 200), notifyStatus: str(req.query.notifyStatus) || undefined }));
  });
  router.post('/awards/:id/notified', requirePermission('awards:record'), async (req, res) => {
    res.json(await awards.closeNotification(requireActor(req.actor), String(req.params.id), str(bodyObject(req).contact)));
  });
  router.get('/awards/:id/letter', requirePermission('students:read'), async (req, res) => {
    res.type('html').send(await awards.letterHtml(requireActor(req.actor), String(req.params.id)));
  });
  router.get('/awards/:id/letter.pdf', requirePermission('students:read'), async (req, res) => {
    const pdf = await awards.letterPdf(requireActor(req.actor), String(req.params.id));
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="good-news-${String(req.params.id)}.pdf"`);
    res.send(pdf);
  });
  router.post('/awards/:id/letter/deliveries', requirePermission('awards:record'), async (req, res) => {
    const b = bodyObject(req);
    res.status(201).json(await awards.recordDelivery(requireActor(req.actor), String(req.params.id), { channel: str(b.channel), note: str(b.note) || undefined }));
  });

  return router;
}
