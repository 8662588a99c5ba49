import { Router, type Response } from 'express';
import { declareRoute } from '../http/contract/api-contract';
import { formioValidationErrors } from '../http/error-handler';
import { requireActor } from '../identity/policy';
import { formDefinitionBody, formListQuery, formParams, formQuery, submissionBody, submissionListQuery, submissionParams } from './forms.schemas';
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
  const at = '';
  const tag = 'Forms (Form.io API)';

  declareRoute(router, at, { method: 'get', path: '/form', summary: 'Latest version of each form (paged, Content-Range)', tag, permission: 'forms:read', query: formListQuery }, async ({ query }, _req, res) => {
    const forms = (await listForms()).map((form) => formJson(form, service.uploadMaxBytes));
    sendPage(res, forms.slice(query.skip, query.skip + query.limit), query, forms.length);
  });

  declareRoute(router, at, { method: 'get', path: '/form/:id', summary: 'A form by version id or path alias (latest version)', tag, permission: 'forms:read', params: formParams, query: formQuery }, async ({ params }, _req, res) => {
    res.json(formJson(await findForm(params.id), service.uploadMaxBytes));
  });

  declareRoute(router, at, { method: 'put', path: '/form/:id', summary: 'Save an edited definition as a new version', tag, permission: 'forms:manage', params: formParams, body: formDefinitionBody, status: 200 }, async ({ params, body }, req, res) => {
    const { form, created } = await saveEditedForm(requireActor(req.actor), params.id, body);
    res.status(created ? 201 : 200).json(formJson(form, service.uploadMaxBytes));
  });

  declareRoute(router, at, { method: 'get', path: '/form/:id/v', summary: 'The versions of a form', tag, permission: 'forms:read', params: formParams }, async ({ params }, _req, res) => {
    const form = await findForm(params.id);
    res.json((await listVersions(form.path)).map((v) => ({ _id: String(v._id), path: v.path, version: v.version, title: v.title, source: v.source, created: v.createdAt })));
  });

  // Submission errors must reach @formio/js with their field details (see toFormioValidationBody).
  router.use('/form/:id/submission', formioValidationErrors);

  declareRoute(router, at, { method: 'get', path: '/form/:id/submission', summary: 'Submissions the caller may read (paged, Content-Range)', tag, permission: 'submissions:read', params: formParams, query: submissionListQuery }, async ({ params, query }, req, res) => {
    const { sort, ...filters } = query;
    const { items, total } = await service.list(requireActor(req.actor), params.id, { ...filters, oldestFirst: sort === 'created' });
    sendPage(res, items, query, total);
  });

  declareRoute(router, at, { method: 'post', path: '/form/:id/submission', summary: 'Submit (validated against the form definition on the server)', tag, permission: 'submissions:create', params: formParams, body: submissionBody }, async ({ params, body }, req, res) => {
    res.status(201).json(await service.create(requireActor(req.actor), params.id, body));
  });

  declareRoute(router, at, { method: 'get', path: '/form/:id/submission/:sid', summary: 'One submission (sensitive fields only for who may see them, audited)', tag, permission: 'submissions:read', params: submissionParams }, async ({ params }, req, res) => {
    res.json(await service.get(requireActor(req.actor), params.id, params.sid));
  });

  declareRoute(router, at, { method: 'put', path: '/form/:id/submission/:sid', summary: 'Update a submission (validated against its own form version)', tag, permission: 'submissions:update', params: submissionParams, body: submissionBody, status: 200 }, async ({ params, body }, req, res) => {
    res.json(await service.update(requireActor(req.actor), params.id, params.sid, body));
  });

  return router;
}
