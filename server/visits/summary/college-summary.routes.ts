import { Router, type Response } from 'express';
import { z } from 'zod/v4';
import type { CjkFont } from '../../files/cjk-pdf';
import { contentDisposition } from '../../files/content-disposition';
import { declareRoute } from '../../http/contract/api-contract';
import { text } from '../../http/contract/fields';
import { requireActor } from '../../identity/policy';
import { ifMatchRevision } from '../campaign-errors';
import { planParams, visitLabels } from '../visits.schemas';
import { SUMMARY_SECTION_ZH } from './college-summary.model';
import type { CollegeSummaryService } from './college-summary.service';
import { renderSummaryPdf } from './summary-pdf';

const summaryBody = z.object({ sections: z.object({ overview: text(10_000), problems: text(20_000), cases: text(10_000), reflections: text(10_000) }).partial().strict() }).strict();
const labels = { ...visitLabels, sections: '总结内容', ...Object.fromEntries(Object.entries(SUMMARY_SECTION_ZH).map(([k, v]) => [`sections.${k}`, v])) };

function withEtag<T extends { revision: number }>(res: Response, record: T): void {
  res.status(200).setHeader('ETag', `"${record.revision}"`);
  res.json(record);
}

/** 学院总结 (D10): generated from the records, edited and submitted by the college, as PDF. */
export function collegeSummaryRoutes(summaries: CollegeSummaryService, font: CjkFont): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Home visits (家访)';
  const path = '/visit-campaigns/:id/colleges/:college/summary';
  declareRoute(router, at, { method: 'get', path, summary: 'The college summary of the campaign; until saved, a draft generated from the records (revision 0): figures, problems from follow-up needs, typical cases, excerpts of reflections', tag, permission: 'visits:read', params: planParams, labels }, async ({ params }, req, res) => {
    withEtag(res, await summaries.get(requireActor(req.actor), params.id, params.college));
  });
  declareRoute(router, at, { method: 'put', path, summary: 'Save the edited text of the summary (If-Match: its ETag, "0" for the generated draft); sections left out stay as they are', tag, permission: 'visitPlans:write', params: planParams, body: summaryBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    withEtag(res, await summaries.save(requireActor(req.actor), params.id, params.college, body.sections, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'post', path: `${path}/submit`, summary: 'Submit the saved summary to student affairs (draft → submitted); its figures are kept as they are now', tag, permission: 'visitPlans:write', params: planParams, labels, status: 200 }, async ({ params }, req, res) => {
    withEtag(res, await summaries.submit(requireActor(req.actor), params.id, params.college, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'get', path: `${path}.pdf`, summary: 'The college summary as an A4 PDF', tag, permission: 'visits:read', params: planParams, labels, produces: 'application/pdf' }, async ({ params }, req, res) => {
    const summary = await summaries.get(requireActor(req.actor), params.id, params.college);
    res.type('application/pdf').setHeader('Content-Disposition', contentDisposition(`学院总结-${summary.campaign.title}-${summary.college.name}.pdf`));
    res.send(await renderSummaryPdf(summary, font));
  });
  return router;
}
