import { Router, type Response } from 'express';
import type { CjkFont } from '../../files/cjk-pdf';
import { contentDisposition } from '../../files/content-disposition';
import type { FileStore } from '../../files/file-store';
import { declareRoute } from '../../http/contract/api-contract';
import { requireActor } from '../../identity/policy';
import { ifMatchRevision } from '../campaign-errors';
import { publicityPdf } from './typical-case-pdf';
import { TYPICAL_CASE_FIELD_ZH as labels } from './typical-case-vocabulary';
import { caseBody, caseListQuery, caseParams, casePatch, consentBody, pictureParams, publicityQuery, withdrawBody } from './typical-cases.schemas';
import type { TypicalCasesService } from './typical-cases.service';

function withEtag<T extends { revision: number }>(res: Response, record: T, status = 200): void {
  res.status(status).setHeader('ETag', `"${record.revision}"`);
  res.json(record);
}

/** Typical cases (D9): one student's growth drawn on their visit reports, published only with consent. */
export function typicalCasesRoutes(cases: TypicalCasesService, options: { store: FileStore; font: CjkFont }): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Home visits (家访)';

  declareRoute(router, at, { method: 'post', path: '/typical-cases', summary: 'Create a typical case of one student from their submitted visit reports, with pictures chosen from those reports’ photos (counselors and leaders of the college)', tag, permission: 'contacts:write', body: caseBody, labels, status: 201 }, async ({ body }, req, res) => {
    withEtag(res, await cases.create(requireActor(req.actor), body), 201);
  });
  declareRoute(router, at, { method: 'get', path: '/typical-cases', summary: 'The typical cases the caller may read, newest first, of one college and/or one campaign (at most 200)', tag, permission: 'visits:read', query: caseListQuery, labels }, async ({ query }, req, res) => {
    res.json(await cases.list(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'get', path: '/typical-cases/:id', summary: 'One typical case with its consent state (仅限内部 / 可推文 / 可官网) and the consents as recorded; ETag is its revision', tag, permission: 'visits:read', params: caseParams, labels }, async ({ params }, req, res) => {
    withEtag(res, await cases.get(requireActor(req.actor), params.id));
  });
  declareRoute(router, at, { method: 'patch', path: '/typical-cases/:id', summary: 'Edit the case (its development after graduation is added later) and its pictures (If-Match: its ETag)', tag, permission: 'contacts:write', params: caseParams, body: casePatch, labels, status: 200 }, async ({ params, body }, req, res) => {
    withEtag(res, await cases.update(requireActor(req.actor), params.id, body, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'post', path: '/typical-cases/:id/consents', summary: 'Record the consent to publicity: the student’s, the guardian’s where the student is a minor or the family appears; its channels; the signed form (optional)', tag, permission: 'contacts:write', params: caseParams, body: consentBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    withEtag(res, await cases.recordConsent(requireActor(req.actor), params.id, body, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'post', path: '/typical-cases/:id/consents/withdraw', summary: 'Withdraw the consents in force, with the reason: recorded, never deleted; publicity is refused from then on', tag, permission: 'contacts:write', params: caseParams, body: withdrawBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    withEtag(res, await cases.withdrawConsent(requireActor(req.actor), params.id, body.reason, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'get', path: '/typical-cases/:id/publicity.pdf', summary: 'The case as publicity material (宣传稿) for a channel — 409 CONSENT_REQUIRED without a consent in force covering it', tag, permission: 'visits:read', params: caseParams, query: publicityQuery, labels, produces: 'application/pdf' }, async ({ params, query }, req, res) => {
    const { pdf, fileName } = await publicityPdf(cases, options.store, options.font, requireActor(req.actor), params.id, query.channel);
    res.type('application/pdf').setHeader('Content-Disposition', contentDisposition(fileName));
    res.send(pdf);
  });
  declareRoute(router, at, { method: 'get', path: '/typical-cases/:id/pictures/:file', summary: 'One picture of the case, for whoever reads the case', tag, permission: 'visits:read', params: pictureParams, labels, produces: 'application/octet-stream' }, async ({ params }, req, res) => {
    const picture = await cases.picture(requireActor(req.actor), params.id, params.file);
    res.setHeader('Content-Type', picture.contentType);
    res.setHeader('Content-Length', String(picture.size));
    res.setHeader('Cache-Control', 'private, no-store');
    picture.stream.on('error', (error) => res.destroy(error));
    picture.stream.pipe(res);
  });
  return router;
}
