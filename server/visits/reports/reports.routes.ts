import { Router, type Response } from 'express';
import { declareRoute } from '../../http/contract/api-contract';
import { requireActor } from '../../identity/policy';
import { ifMatchRevision } from '../campaign-errors';
import type { CjkFont } from '../../files/cjk-pdf';
import { contentDisposition } from '../../files/content-disposition';
import type { FileStore } from '../../files/file-store';
import type { CampaignsService } from '../campaigns.service';
import { printReport } from './report-print';
import { missingReports } from './missing-reports';
import { contentPatch, mineQuery, missingQuery, reportLabels as labels, reportListQuery, reportParams, reportReturnBody, startBody, versionParams } from './reports.schemas';
import type { VisitReportsService } from './visit-reports.service';

function withEtag<T extends { revision: number }>(res: Response, record: T, status = 200): void {
  res.status(status).setHeader('ETag', `"${record.revision}"`);
  res.json(record);
}

/** Visit reports (D6–D8): one per student visit, drafts, submission against the campaign's evidence rule, versions. */
export function visitReportsRoutes(reports: VisitReportsService, options: { campaigns: CampaignsService; graceDays: number; font: CjkFont; files: FileStore }): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Home visits (家访)';

  declareRoute(router, at, { method: 'post', path: '/visit-reports', summary: 'Start the report of a planned visit ({campaign, college, entryId}: an approved plan entry) or an unplanned one ({campaign, student, reason, mode}); prefilled from the records. 200 with the existing report when it was started already', tag, permission: 'contacts:write', body: startBody, labels, status: 201 }, async ({ body }, req, res) => {
    const { created, report } = await reports.start(requireActor(req.actor), body);
    withEtag(res, report, created ? 201 : 200);
  });
  declareRoute(router, at, { method: 'get', path: '/visit-reports/mine', summary: 'The caller’s visits of a campaign: approved plan entries naming them with their report state (none, draft, submitted), and their unplanned reports', tag, permission: 'visits:read', query: mineQuery, labels }, async ({ query }, req, res) => {
    res.json(await reports.mine(requireActor(req.actor), query.campaign));
  });
  declareRoute(router, at, { method: 'get', path: '/visit-reports/missing', summary: 'Approved visits whose report is missing (none, or not submitted) graceDays after their planned day or the end of the visit window; each with its visitors, and grouped by visitor with e-mail, for reminders', tag, permission: 'visits:read', query: missingQuery, labels }, async ({ query }, req, res) => {
    res.json(await missingReports(requireActor(req.actor), options.campaigns, query, options.graceDays));
  });
  declareRoute(router, at, { method: 'get', path: '/visit-reports', summary: 'The visit reports of a campaign the caller may read, paged (no content)', tag, permission: 'visits:read', query: reportListQuery, labels }, async ({ query }, req, res) => {
    res.json(await reports.list(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'get', path: '/visit-reports/:id', summary: 'One visit report; its sensitive parts only within the sensitive scope (read audited); ETag is its revision', tag, permission: 'visits:read', params: reportParams, labels }, async ({ params }, req, res) => {
    withEtag(res, await reports.get(requireActor(req.actor), params.id));
  });
  declareRoute(router, at, { method: 'patch', path: '/visit-reports/:id', summary: 'Save draft content (no evidence check; If-Match: its ETag). A submitted report changed here becomes the draft of its next version', tag, permission: 'contacts:write', params: reportParams, body: contentPatch, labels, status: 200 }, async ({ params, body }, req, res) => {
    withEtag(res, await reports.update(requireActor(req.actor), params.id, body, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'post', path: '/visit-reports/:id/submit', summary: 'Submit: content and the campaign’s evidence rule checked; records the family contact once; idempotent (emits visitReport.submitted)', tag, permission: 'contacts:write', params: reportParams, labels, status: 200 }, async ({ params }, req, res) => {
    withEtag(res, await reports.submit(requireActor(req.actor), params.id, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'get', path: '/visit-reports/:id/print.pdf', summary: 'The report (附件3 家访工作报告) as an A4 PDF with its photos; the sensitive parts only within the sensitive scope (read audited)', tag, permission: 'visits:read', params: reportParams, labels, produces: 'application/pdf' }, async ({ params }, req, res) => {
    const { pdf, fileName } = await printReport(reports, options.files, options.font, requireActor(req.actor), params.id);
    res.type('application/pdf').setHeader('Content-Disposition', contentDisposition(fileName));
    res.send(pdf);
  });
  declareRoute(router, at, { method: 'post', path: '/visit-reports/:id/return', summary: 'Return a submitted report to its visitors with the reason (counselors and leaders of the college); they amend it and submit the next version (emits visitReport.rejected)', tag, permission: 'contacts:write', params: reportParams, body: reportReturnBody, labels: { ...labels, reason: '退回原因' }, status: 200 }, async ({ params, body }, req, res) => {
    withEtag(res, await reports.returnReport(requireActor(req.actor), params.id, body.reason, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'get', path: '/visit-reports/:id/versions/:version', summary: 'One submitted version of a report, as it was submitted', tag, permission: 'visits:read', params: versionParams, labels }, async ({ params }, req, res) => {
    res.json(await reports.version(requireActor(req.actor), params.id, params.version));
  });

  return router;
}
