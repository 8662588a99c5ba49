import { Router } from 'express';
import { BodyReader, pageParams } from '../http/body-reader';
import { requireActor, requirePermission } from '../identity/policy';
import { SUBSCRIBABLE_EVENTS, type WebhooksService } from './webhooks.service';

export function webhooksRoutes(service: WebhooksService): Router {
  const router = Router();

  router.post('/webhooks', requirePermission('webhooks:manage'), async (req, res) => {
    const body = new BodyReader(req.body);
    const url = body.string('url', { required: true, max: 2000, pattern: /^https?:\/\/[^\s]+$/, labelZh: '回调地址' });
    const events = body.stringArray('events', SUBSCRIBABLE_EVENTS, { required: true });
    const secret = body.string('secret', { required: true, max: 200, pattern: /^.{16,}$/, labelZh: '签名密钥（至少 16 个字符）' });
    const description = body.string('description', { max: 200 });
    body.done();
    res.status(201).json(await service.subscribe(requireActor(req.actor), { url: url!, events, secret: secret!, description }));
  });

  router.get('/webhooks', requirePermission('webhooks:manage'), async (req, res) => {
    const url = typeof req.query.url === 'string' ? req.query.url : undefined;
    res.json(await service.list(requireActor(req.actor), url));
  });

  router.delete('/webhooks/:id', requirePermission('webhooks:manage'), async (req, res) => {
    await service.unsubscribe(requireActor(req.actor), String(req.params.id));
    res.status(204).end();
  });

  router.get('/webhooks/:id/deliveries', requirePermission('webhooks:manage'), async (req, res) => {
    res.json(await service.deliveries(requireActor(req.actor), String(req.params.id), pageParams(req.query)));
  });

  return router;
}
