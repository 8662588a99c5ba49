import { Router } from 'express';
import { declareRoute } from '../../http/contract/api-contract';
import { XLSX_TYPE, sendWorkbook } from '../../http/xlsx-download';
import { requireActor } from '../../identity/policy';
import { awardBody, awardListQuery, fundBody, fundListQuery, funderActivityBody, funderBody, funderLabels as labels, funderListQuery, idParams, reportQuery } from './funders.schemas';
import type { FundersService } from './funders.service';

/** Social resources (E2): funders, funds, awards, activities and the funder's report. */
export function fundersRoutes(s: FundersService): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Funders (社会资助)';

  declareRoute(router, at, { method: 'post', path: '/funders', summary: 'Record a funder (company, social group, alumnus, individual)', tag, permission: 'funders:manage', body: funderBody, labels, status: 201 }, async ({ body }, req, res) => {
    res.status(201).json(await s.createFunder(requireActor(req.actor), body));
  });
  declareRoute(router, at, { method: 'get', path: '/funders', summary: 'Funders, paged by id', tag, permission: 'support:read', query: funderListQuery, labels }, async ({ query }, _req, res) => {
    res.json(await s.listFunders(query));
  });
  declareRoute(router, at, { method: 'get', path: '/funders/:id', summary: 'One funder', tag, permission: 'support:read', params: idParams, labels }, async ({ params }, _req, res) => {
    res.json(s.presentFunder(await s.findFunder(params.id)));
  });
  declareRoute(router, at, { method: 'post', path: '/funders/:id/funds', summary: 'A scholarship or grant of the funder for a year (amount in whole yuan)', tag, permission: 'funders:manage', params: idParams, body: fundBody, labels, status: 201 }, async ({ params, body }, req, res) => {
    res.status(201).json(await s.createFund(requireActor(req.actor), params.id, body));
  });
  declareRoute(router, at, { method: 'post', path: '/funders/:id/activities', summary: 'A lecture, mentoring or practice the funder held with students', tag, permission: 'funders:manage', params: idParams, body: funderActivityBody, labels, status: 201 }, async ({ params, body }, req, res) => {
    res.status(201).json(await s.logActivity(requireActor(req.actor), params.id, body));
  });
  declareRoute(router, at, { method: 'get', path: '/funders/:id/report', summary: 'The funder’s year: funds, which students received what (named only with consent, else 某同学 with grade and major), activities; format=xlsx for a workbook', tag, permission: 'support:read', params: idParams, query: reportQuery, labels, produces: XLSX_TYPE }, async ({ params, query }, req, res) => {
    const report = await s.report(requireActor(req.actor), params.id, query.year);
    if (query.format === 'xlsx') await sendWorkbook(res, `${report.funder.name}-${query.year}-资助报告.xlsx`, s.reportSheets(report));
    else res.json(report);
  });
  declareRoute(router, at, { method: 'get', path: '/funds', summary: 'Funds by year or funder, with awarded and remaining, paged by id', tag, permission: 'support:read', query: fundListQuery, labels }, async ({ query }, _req, res) => {
    res.json(await s.listFunds(query));
  });
  declareRoute(router, at, { method: 'get', path: '/funds/:id', summary: 'One fund with awarded and remaining', tag, permission: 'support:read', params: idParams, labels }, async ({ params }, _req, res) => {
    const fund = await s.findFund(params.id);
    res.setHeader('ETag', `"${fund.revision}"`).json(s.presentFund(fund));
  });
  declareRoute(router, at, { method: 'post', path: '/funds/:id/awards', summary: 'Award a student from the fund; 422 FUND_EXCEEDED when the awards would pass the fund’s amount', tag, permission: 'funders:manage', params: idParams, body: awardBody, labels, status: 201 }, async ({ params, body }, req, res) => {
    res.status(201).json(await s.award(requireActor(req.actor), params.id, body));
  });
  declareRoute(router, at, { method: 'get', path: '/funds/:id/awards', summary: 'The fund’s awards in the caller’s scope, paged by id', tag, permission: 'support:read', params: idParams, query: awardListQuery, labels }, async ({ params, query }, req, res) => {
    res.json(await s.listAwards(requireActor(req.actor), params.id, query));
  });
  return router;
}
