import { Router } from 'express';
import { contentDisposition } from '../../files/content-disposition';
import { declareRoute } from '../../http/contract/api-contract';
import { requireActor } from '../../identity/policy';
import { planParams, visitLabels as labels } from '../visits.schemas';
import { materialsPackage, type MaterialsDeps } from './materials-package';
import { ReceiverGone } from './zip-stream';

/** The per-college materials package of a campaign (seed 001 §8), streamed as a ZIP. */
export function materialsRoutes(deps: MaterialsDeps): Router {
  const router = Router();
  declareRoute(router, '/api', { method: 'get', path: '/visit-campaigns/:id/colleges/:college/materials.zip', summary: 'The college’s materials of the campaign as one ZIP, streamed: every submitted report as PDF (家访记录/), photos named 学号-姓名-家访-n (照片/), video and audio (音视频/), school leaders’ visits in 领导家访/, the approved plan, the statistics table', tag: 'Home visits (家访)', permission: 'visits:read', params: planParams, labels, produces: 'application/zip' }, async ({ params }, req, res) => {
    const pack = await materialsPackage(deps, requireActor(req.actor), params.id, params.college);
    res.status(200).type('application/zip').setHeader('Content-Disposition', contentDisposition(pack.fileName));
    res.setHeader('X-HSB-Reports', String(pack.reports));
    try {
      await pack.write(res);
    } catch (error) {
      // The answer has begun: the client sees a cut-off download, the log says why.
      if (error instanceof ReceiverGone) req.log.info({ campaign: params.id, college: params.college }, error.message);
      else req.log.error({ err: error, campaign: params.id, college: params.college }, 'materials package failed while streaming');
      res.destroy();
    }
  });
  return router;
}
