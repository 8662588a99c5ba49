import { Router, type Response } from 'express';
import type ExcelJS from 'exceljs';
import { z } from 'zod/v4';
import { declareRoute } from '../../http/contract/api-contract';
import { recordRef } from '../../http/contract/fields';
import { XLSX_TYPE } from '../../http/xlsx-download';
import { contentDisposition } from '../../files/content-disposition';
import { requireActor } from '../../identity/policy';
import { campaignParams } from '../visits.schemas';
import type { VisitStatisticsService } from './statistics.service';
import { schoolStatisticsWorkbook, statisticsWorkbook, workbookBuffer } from './statistics-sheet';

const statisticsQuery = z
  .object({ college: recordRef.optional().describe('college id or code; without it, the school roll-up (school-wide readers only)') })
  .strict();
const labels = { id: '家访活动', college: '学院' };

async function sendXlsx(res: Response, fileName: string, workbook: ExcelJS.Workbook): Promise<void> {
  const body = await workbookBuffer(workbook);
  res.type(XLSX_TYPE).setHeader('Content-Disposition', contentDisposition(fileName, 'attachment'));
  res.setHeader('Cache-Control', 'no-store');
  res.send(body);
}

/** D10, 附件2: a college's visit statistics and the school roll-up, as JSON and as the XLSX table. */
export function visitStatisticsRoutes(statistics: VisitStatisticsService): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Home visits (家访)';
  const path = '/visit-campaigns/:id/statistics';

  declareRoute(router, at, { method: 'get', path, summary: 'Visit statistics (附件2) from the records: a college’s (?college=) by mode, kind, target group, grade, major and visitor role, distinct students against the coverage goal, leader, unplanned and planned-but-not-visited visits; without college the school roll-up', tag, permission: 'visits:read', params: campaignParams, query: statisticsQuery, labels }, async ({ params, query }, req, res) => {
    const actor = requireActor(req.actor);
    res.setHeader('Cache-Control', 'no-store');
    res.json(query.college === undefined ? await statistics.forSchool(actor, params.id) : await statistics.forCollege(actor, params.id, query.college));
  });
  declareRoute(router, at, { method: 'get', path: `${path}.xlsx`, summary: 'The statistics table (附件2) as XLSX laid out like the paper form; without college the school roll-up', tag, permission: 'visits:read', params: campaignParams, query: statisticsQuery, labels, produces: XLSX_TYPE }, async ({ params, query }, req, res) => {
    const actor = requireActor(req.actor);
    if (query.college === undefined) {
      const school = await statistics.forSchool(actor, params.id);
      await sendXlsx(res, `全校家访统计汇总表-${school.campaign.title}.xlsx`, await schoolStatisticsWorkbook(school));
      return;
    }
    const college = await statistics.forCollege(actor, params.id, query.college);
    await sendXlsx(res, `学院走访统计表-${college.college.name}-${college.campaign.title}.xlsx`, await statisticsWorkbook(college));
  });

  return router;
}
