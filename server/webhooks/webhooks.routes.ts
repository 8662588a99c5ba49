import { Router } from 'express';
import { z } from 'zod/v4';
import { declareRoute } from '../http/contract/api-contract';
import { page, queryInt } from '../http/contract/fields';
import { requireActor } from '../identity/policy';
import { DELIVERY_LOG_DEPTH, SUBSCRIBABLE_EVENTS, type WebhooksService } from './webhooks.service';

const subscriptionBody = z
  .object({
    url: z.string().max(2000).regex(/^https?:\/\/[^\s]+$/, 'an http(s) URL'),
    events: z.array(z.enum(SUBSCRIBABLE_EVENTS)).min(1),
    secret: z.string().min(16).max(200),
    description: z.string().max(200).optional(),
  })
  .strict();
const listQuery = z.object({ url: z.string().max(2000).optional() }).strict();
const deliveryLogPage = z.object({ ...page(100), skip: queryInt(0, DELIVERY_LOG_DEPTH - 100).optional().default(0) }).strict();
const idParams = z.object({ id: z.string().min(1).max(60) }).strict();
const labels = { url: '回调地址', events: '事件', secret: '签名密钥（至少 16 个字符）', description: '说明' };

export function webhooksRoutes(service: WebhooksService): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Webhooks (事件订阅)';

  declareRoute(router, at, { method: 'post', path: '/webhooks', summary: 'Subscribe a URL to events (signed deliveries)', tag, permission: 'webhooks:manage', body: subscriptionBody, labels }, async ({ body }, req, res) => {
    res.status(201).json(await service.subscribe(requireActor(req.actor), body));
  });

  declareRoute(router, at, { method: 'get', path: '/webhooks', summary: 'Subscriptions, optionally of one URL', tag, permission: 'webhooks:manage', query: listQuery }, async ({ query }, req, res) => {
    res.json(await service.list(requireActor(req.actor), query.url));
  });

  declareRoute(router, at, { method: 'delete', path: '/webhooks/:id', summary: 'Unsubscribe', tag, permission: 'webhooks:manage', params: idParams, status: 204 }, async ({ params }, req, res) => {
    await service.unsubscribe(requireActor(req.actor), params.id);
    res.status(204).end();
  });

  declareRoute(router, at, { method: 'get', path: '/webhooks/:id/deliveries', summary: 'The delivery log of a subscription', tag, permission: 'webhooks:manage', params: idParams, query: deliveryLogPage }, async ({ params, query }, req, res) => {
    res.json(await service.deliveries(requireActor(req.actor), params.id, query));
  });

  return router;
}
