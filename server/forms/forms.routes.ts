import { Router, type Response } from 'express';
import { pageParams } from '../http/body-reader';
import { formioValidationErrors } from '../http/error-handler';
import { requireActor, requirePermission } from '../identity/policy';
import { findForm, formJson, listForms, listVersions, saveEditedForm, type FormsService } from './forms.service';

function sendPage<T>(res: Response, items: T[], page: { skip: number }, total: number): void {
  // Form.io clients read paging from Content-Range (`first-last/total`).
  const last = items.length === 0 ? page.skip : page.skip + items.length - 1;
  res.setHeader('Content-Range', items.length === 0 ? `*/${total}` : `${page.skip}-${last}/${total}`);
  res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
  res.json(items);
}

/** The subset of the Form.io REST API that @formio/js and the n8n nodes use. */
export function formsRoutes(service: FormsService): Router {
  const router = Router();

  router.get('/form', requirePermission('forms:read'), async (req, res) => {
    const page = pageParams(req.query);
    const forms = (await listForms()).map((form) => formJson(form, service.uploadMaxBytes));
    sendPage(res, forms.slice(page.skip, page.skip + page.limit), page, forms.length);
  });

  router.get('/form/:id', requirePermission('forms:read'), async (req, res) => {
    res.json(formJson(await findForm(req.params.id as string), service.uploadMaxBytes));
  });

  router.put('/form/:id', requirePermission('forms:manage'), async (req, res) => {
    const { form, created } = await saveEditedForm(requireActor(req.actor), req.params.id as string, req.body);
    res.status(created ? 201 : 200).json(formJson(form, service.uploadMaxBytes));
  });

  router.get('/form/:id/v', requirePermission('forms:read'), async (req, res) => {
    const form = await findForm(req.params.id as string);
    res.json((await listVersions(form.path)).map((v) => ({ _id: String(v._id), path: v.path, version: v.version, title: v.title, source: v.source, created: v.createdAt })));
  });

  // Submission errors must reach @formio/js with their field details (see toFormioValidationBody).
  router.use('/form/:id/submission', formioValidationErrors);

  router.get('/form/:id/submission', requirePermission('submissions:read'), async (req, res) => {
    const page = pageParams(req.query);
    const { items, total } = await service.list(requireActor(req.actor), req.params.id as string, page);
    sendPage(res, items, page, total);
  });

  router.post('/form/:id/submission', requirePermission('submissions:create'), async (req, res) => {
    res.status(201).json(await service.create(requireActor(req.actor), req.params.id as string, req.body ?? {}));
  });

  router.get('/form/:id/submission/:sid', requirePermission('submissions:read'), async (req, res) => {
    res.json(await service.get(requireActor(req.actor), req.params.id as string, req.params.sid as string));
  });

  router.put('/form/:id/submission/:sid', requirePermission('submissions:update'), async (req, res) => {
    res.json(await service.update(requireActor(req.actor), req.params.id as string, req.params.sid as string, req.body ?? {}));
  });

  return router;
}
