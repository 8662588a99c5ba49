import type { RequestHandler } from 'express';
import { problems } from '../http/problem';
import type { FieldCipher } from '../security/field-cipher';
import { IdempotencyRecordModel } from './idempotency-record.model';

const KEY = /^[A-Za-z0-9:._-]{8,200}$/;

/**
 * Honours `Idempotency-Key` on POST: the first successful answer is stored (per caller) and replayed
 * for the same key, with `Idempotent-Replayed: true`. Reusing a key for another route is refused.
 */
export function idempotency(cipher: FieldCipher): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers['idempotency-key'];
    if (req.method !== 'POST' || typeof header !== 'string' || !req.actor) return next();
    if (!KEY.test(header)) {
      throw problems.badRequest('Idempotency-Key must be 8–200 letters, digits or :._-', 'Idempotency-Key 须为 8–200 个字母、数字或 :._-');
    }
    const key = `${String(req.actor.userId)}:${String(req.actor.apiKeyId ?? 'session')}:${header}`;
    const previous = await IdempotencyRecordModel.findOne({ key }).lean();
    if (previous) {
      if (previous.method !== req.method || previous.path !== req.originalUrl) {
        throw problems.conflict('This Idempotency-Key was used for another request', '此 Idempotency-Key 已用于其他请求');
      }
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(previous.status).json(cipher.decrypt(previous.sealedBody));
      return;
    }
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode >= 200 && res.statusCode < 300) {
        IdempotencyRecordModel.create({ key, method: req.method, path: req.originalUrl, status: res.statusCode, sealedBody: cipher.encrypt(body) })
          .catch((error: unknown) => req.log.warn({ err: error }, 'idempotency record not stored'))
          .finally(() => send(body));
        return res;
      }
      return send(body);
    };
    next();
  };
}
