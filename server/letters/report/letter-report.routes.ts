import { Router } from 'express';
import { z } from 'zod/v4';
import { declareRoute } from '../../http/contract/api-contract';
import { recordRef } from '../../http/contract/fields';
import { sendWorkbook, XLSX_TYPE } from '../../http/xlsx-download';
import { requireActor } from '../../identity/policy';
import { letterCampaignParams } from '../letters.schemas';
import { audienceOptions } from './audience-options';
import type { LetterReportService } from './letter-report';
import { letterReportSheets } from './letter-report-sheet';

const reportQuery = z.object({ college: recordRef.optional().describe('college id or code; college leaders and counselors always see their own') }).strict();
const labels = { id: '致家长的一封信', college: '学院' };

/** B6 §6: the campaign's report as JSON and as XLSX (汇总, 学院, 辅导员, 反馈主题, 未办结). */
export function letterReportRoutes(reports: LetterReportService): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Term letters (致家长的一封信)';
  const path = '/letter-campaigns/:id/report';
  declareRoute(router, at, { method: 'get', path, summary: 'How the letter did in the caller’s scope: letters, sent, delivered, failed, printed, opened, answered per college and counselor; feedback by topic; first-response hours p50/p90; share closed with a follow-through; unfinished tickets by owner', tag, permission: 'letters:read', params: letterCampaignParams, query: reportQuery, labels }, async ({ params, query }, req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await reports.report(requireActor(req.actor), params.id, query.college));
  });
  declareRoute(router, at, { method: 'get', path: `${path}.xlsx`, summary: 'The same report as XLSX: sheets 汇总, 学院, 辅导员, 反馈主题, 未办结', tag, permission: 'letters:read', params: letterCampaignParams, query: reportQuery, labels, produces: XLSX_TYPE }, async ({ params, query }, req, res) => {
    const report = await reports.report(requireActor(req.actor), params.id, query.college);
    const scope = report.college ? `-${report.college.name ?? report.college.code}` : '';
    await sendWorkbook(res, `致家长的一封信统计-${report.campaign.title}${scope}.xlsx`, letterReportSheets(report));
  });
  declareRoute(router, at, { method: 'get', path: '/letter-audience-options', summary: 'What a letter can be aimed at: every college with its grades and students, and every grade', tag, permission: 'letters:manage', labels }, async (_input, _req, res) => {
    res.json(await audienceOptions());
  });
  return router;
}
