import { Router, type Response } from 'express';
import { declareRoute } from '../http/contract/api-contract';
import { requireActor } from '../identity/policy';
import { ifMatchRevision } from './campaign-errors';
import type { CampaignsService } from './campaigns.service';
import { renderPlanPrint } from './plan-print';
import { renderPlanPdf } from './plan-pdf';
import type { CjkFont } from '../files/cjk-pdf';
import { contentDisposition } from '../files/content-disposition';
import type { PlansService } from './plans.service';
import {
  approveBody, campaignBody, campaignListQuery, campaignParams, campaignPatch, extensionBody, planBody, planListQuery, planParams, printQuery, returnBody, studentVisitParams, visitLabels as labels,
} from './visits.schemas';

function withEtag<T extends { revision: number }>(res: Response, record: T, status = 200): void {
  res.status(status).setHeader('ETag', `"${record.revision}"`);
  res.json(record);
}

/** Home visits (D1–D5): campaigns of student affairs, the colleges' visit plans and their approval. */
export function visitsRoutes(campaigns: CampaignsService, plans: PlansService, font: CjkFont): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Home visits (家访)';
  const plan = '/visit-campaigns/:id/plans/:college';

  declareRoute(router, at, { method: 'post', path: '/visit-campaigns', summary: 'Create a home-visit campaign (draft) for a winter or summer break', tag, permission: 'visits:manage', body: campaignBody, labels, status: 201 }, async ({ body }, req, res) => {
    withEtag(res, await campaigns.create(requireActor(req.actor), body), 201);
  });
  declareRoute(router, at, { method: 'get', path: '/visit-campaigns', summary: 'Campaigns (drafts only for student affairs), newest deadline first', tag, permission: 'visits:read', query: campaignListQuery, labels }, async ({ query }, req, res) => {
    res.json(await campaigns.list(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'get', path: '/visit-campaigns/:id', summary: 'One campaign; ETag is its revision', tag, permission: 'visits:read', params: campaignParams, labels }, async ({ params }, req, res) => {
    withEtag(res, campaigns.present(await campaigns.find(requireActor(req.actor), params.id)));
  });
  declareRoute(router, at, { method: 'patch', path: '/visit-campaigns/:id', summary: 'Change a draft campaign (If-Match: its ETag)', tag, permission: 'visits:manage', params: campaignParams, body: campaignPatch, labels, status: 200 }, async ({ params, body }, req, res) => {
    withEtag(res, await campaigns.update(requireActor(req.actor), params.id, body, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'post', path: '/visit-campaigns/:id/open', summary: 'Open a draft campaign: colleges may file plans (emits campaign.opened)', tag, permission: 'visits:manage', params: campaignParams, labels, status: 200 }, async ({ params }, req, res) => {
    withEtag(res, await campaigns.open(requireActor(req.actor), params.id, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'post', path: '/visit-campaigns/:id/close', summary: 'Close an open campaign', tag, permission: 'visits:manage', params: campaignParams, labels, status: 200 }, async ({ params }, req, res) => {
    withEtag(res, await campaigns.close(requireActor(req.actor), params.id, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'post', path: '/visit-campaigns/:id/extensions', summary: 'Extend the plan deadline for one college (who, why, until when are recorded)', tag, permission: 'visits:manage', params: campaignParams, body: extensionBody, labels, status: 201 }, async ({ params, body }, req, res) => {
    withEtag(res, await campaigns.extend(requireActor(req.actor), params.id, body, ifMatchRevision(req.get('If-Match'))), 201);
  });
  declareRoute(router, at, { method: 'get', path: '/visit-campaigns/:id/overview', summary: 'Each college of the campaign: plan state, planned vs required, school-leader visits, deadline; colleges without a submitted or approved plan', tag, permission: 'visits:read', params: campaignParams, labels }, async ({ params }, req, res) => {
    res.json(await plans.overview(requireActor(req.actor), params.id));
  });

  declareRoute(router, at, { method: 'get', path: '/students/:id/planned-visits', summary: 'One student’s entries in the visit plans of the newest campaigns (the student page)', tag, permission: 'visits:read', params: studentVisitParams, labels }, async ({ params }, req, res) => {
    res.json(await plans.plannedVisitsOf(requireActor(req.actor), params.id));
  });
  declareRoute(router, at, { method: 'get', path: '/visit-plans', summary: 'The plans of a campaign the caller may read', tag, permission: 'visits:read', query: planListQuery, labels }, async ({ query }, req, res) => {
    res.json(await plans.list(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'get', path: plan, summary: 'A college’s visit plan with its coverage (per grade and major), approvals, returns and approved version; ETag is its revision', tag, permission: 'visits:read', params: planParams, labels }, async ({ params }, req, res) => {
    withEtag(res, await plans.get(requireActor(req.actor), params.id, params.college));
  });
  declareRoute(router, at, { method: 'put', path: plan, summary: 'File or change the college’s plan (planned visits and implementation plan); an approved plan changed here is an amendment that needs approval again', tag, permission: 'visitPlans:write', params: planParams, body: planBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    const result = await plans.save(requireActor(req.actor), params.id, params.college, body, ifMatchRevision(req.get('If-Match')));
    withEtag(res, result.plan, result.created ? 201 : 200);
  });
  declareRoute(router, at, { method: 'post', path: `${plan}/submit`, summary: 'Submit the plan for approval: deadline and coverage checked (emits visitPlan.submitted)', tag, permission: 'visitPlans:write', params: planParams, labels, status: 200 }, async ({ params }, req, res) => {
    withEtag(res, await plans.submit(requireActor(req.actor), params.id, params.college, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'post', path: `${plan}/approve`, summary: 'Approve the step now due (emits visitPlan.approved; final=true once every step approved)', tag, permission: 'visitPlans:approve', params: planParams, body: approveBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    withEtag(res, await plans.approve(requireActor(req.actor), params.id, params.college, ifMatchRevision(req.get('If-Match')), body.onBehalfOf));
  });
  declareRoute(router, at, { method: 'post', path: `${plan}/return`, summary: 'Return the plan to the college with a reason (emits visitPlan.returned)', tag, permission: 'visitPlans:approve', params: planParams, body: returnBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    withEtag(res, await plans.returnPlan(requireActor(req.actor), params.id, params.college, body.reason, ifMatchRevision(req.get('If-Match')), body.onBehalfOf));
  });
  declareRoute(router, at, { method: 'get', path: `${plan}/history`, summary: 'Every change of the plan, newest first', tag, permission: 'visits:read', params: planParams, labels }, async ({ params }, req, res) => {
    res.json(await plans.history(requireActor(req.actor), params.id, params.college));
  });
  declareRoute(router, at, { method: 'get', path: `${plan}/print`, summary: 'The application (附件1) as a print view with room for signature and stamp', tag, permission: 'visits:read', params: planParams, query: printQuery, labels, produces: 'text/html' }, async ({ params, query }, req, res) => {
    res.type('html').send(renderPlanPrint(await plans.printable(requireActor(req.actor), params.id, params.college, query.version)));
  });
  declareRoute(router, at, { method: 'get', path: `${plan}/print.pdf`, summary: 'The application (附件1) as an A4 PDF, the same words as the print view', tag, permission: 'visits:read', params: planParams, query: printQuery, labels, produces: 'application/pdf' }, async ({ params, query }, req, res) => {
    const printable = await plans.printable(requireActor(req.actor), params.id, params.college, query.version);
    const pdf = await renderPlanPdf(printable, font);
    res.type('application/pdf').setHeader('Content-Disposition', contentDisposition(`家访计划申报表-${printable.college.name}.pdf`));
    res.send(pdf);
  });

  return router;
}
