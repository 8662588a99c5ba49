import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { writeRequestAudit } from '../audit/request-audit';
import { isDuplicateKey } from '../db/duplicate-key';
import { ApiError, problems } from '../http/problem';
import type { FieldCipher } from '../security/field-cipher';
import { IdempotencyRecordModel } from './idempotency-record.model';
import { requestFingerprint } from './request-fingerprint';
import { storableAnswer } from './withheld-fields';

const KEY = /^[A-Za-z0-9:._-]{8,200}$/;
/** How long a duplicate waits for the first request's answer before it is told to retry. */
const WAIT_FOR_FIRST_MS = 15_000;
const POLL_MS = 50;
/** A claim still pending after this long belongs to a request that died; it may be taken over. */
const ABANDONED_AFTER_MS = 120_000;

type IdempotencyRecord = { _id: string; method: string; path: string; sealedFingerprint: string; state: string; status?: number | null; sealedBody?: string | null; withheld?: string[]; updatedAt?: Date };

function keyReused(whatEn: string, whatZh: string): ApiError {
  return new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', `This Idempotency-Key was used for ${whatEn}`, `此 Idempotency-Key 已用于${whatZh}`, [
    { path: 'Idempotency-Key', message: `每个请求须使用新的 Idempotency-Key（此键已用于${whatZh}）`, messageEn: `use a new Idempotency-Key for each request (this one was used for ${whatEn})`, rule: 'idempotencyKey' },
  ]);
}

const stillRunning = () =>
  new ApiError(409, 'IDEMPOTENCY_IN_PROGRESS', 'The first request with this Idempotency-Key is still running; retry shortly', '使用此 Idempotency-Key 的首个请求仍在处理中，请稍后重试');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Honours `Idempotency-Key` on POST. The first request claims the key (an insert on its `_id`) and
 * runs; its successful answer is stored encrypted, secrets withheld. Duplicates — concurrent or later —
 * wait for that answer and replay it with `Idempotent-Replayed: true`. The same key with another route
 * or another body is refused (409). A failed first request releases the key so that it can be retried.
 */
export function idempotency(cipher: FieldCipher): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers['idempotency-key'];
    if (req.method !== 'POST' || typeof header !== 'string' || !req.actor) return next();
    if (!KEY.test(header)) {
      throw problems.badRequest('Idempotency-Key must be 8–200 letters, digits or :._-', 'Idempotency-Key 须为 8–200 个字母、数字或 :._-', [
        { path: 'Idempotency-Key', message: '须为 8–200 个字母、数字或 :._-', messageEn: 'must be 8–200 letters, digits or :._-', rule: 'pattern' },
      ]);
    }
    const id = `${String(req.actor.userId)}:${String(req.actor.apiKeyId ?? 'session')}:${header}`;
    const fingerprint = requestFingerprint(req.body);
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;

    for (;;) {
      try {
        await IdempotencyRecordModel.create({ _id: id, method: req.method, path: req.originalUrl, sealedFingerprint: cipher.encrypt(fingerprint), state: 'pending' });
        storeAnswerOf(res, id, cipher, req.log);
        return next();
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const first = (await IdempotencyRecordModel.findById(id).lean()) as IdempotencyRecord | null;
      if (!first) continue; // the first request failed and released the key: claim it again
      if (first.method !== req.method || first.path !== req.originalUrl) throw keyReused('another request', '其他请求');
      if (cipher.decrypt(first.sealedFingerprint) !== fingerprint) throw keyReused('a request with another body', '内容不同的请求');
      if (first.state === 'done') return replay(res, first, cipher);
      if (Date.now() - (first.updatedAt?.getTime() ?? 0) > ABANDONED_AFTER_MS) {
        await IdempotencyRecordModel.deleteOne({ _id: id, state: 'pending' });
        continue;
      }
      if (Date.now() > deadline) throw stillRunning();
      await sleep(POLL_MS);
    }
  };
}

function replay(res: Response, record: IdempotencyRecord, cipher: FieldCipher): void {
  res.setHeader('Idempotent-Replayed', 'true');
  if (record.withheld?.length) res.setHeader('Idempotent-Withheld', record.withheld.join(','));
  res.status(record.status ?? 200);
  if (record.sealedBody) res.json(cipher.decrypt(record.sealedBody));
  else res.end();
}

/** Completes the claim with the answer before it is sent (2xx), or releases it (anything else). */
function storeAnswerOf(res: Response, id: string, cipher: FieldCipher, log: Logger): void {
  let settled = false;
  const settle = async (body: unknown, hasBody: boolean) => {
    settled = true;
    try {
      // The answer is kept for replays only once the request's audit entries are on record; if they cannot
      // be, the request is answered with that error (see request-audit) and, as any failed one, releases its key.
      await writeRequestAudit();
    } catch {
      await IdempotencyRecordModel.deleteOne({ _id: id }).catch(() => undefined);
      return;
    }
    try {
      if (res.statusCode >= 200 && res.statusCode < 300) {
        const storable = hasBody ? storableAnswer(body) : { body: undefined, withheld: [] };
        await IdempotencyRecordModel.updateOne(
          { _id: id },
          { $set: { state: 'done', status: res.statusCode, withheld: storable.withheld, ...(hasBody ? { sealedBody: cipher.encrypt(storable.body) } : {}) } },
        );
      } else {
        await IdempotencyRecordModel.deleteOne({ _id: id });
      }
    } catch (error) {
      log.warn({ err: error }, 'idempotency record not completed');
    }
  };
  const send = res.json.bind(res);
  res.json = (body: unknown) => {
    if (settled) return send(body);
    void settle(body, true).finally(() => {
      try {
        send(body);
      } catch (error) {
        log.error({ err: error }, 'answer not sent');
      }
    });
    return res;
  };
  // Answers without a JSON body (204, files) complete the claim once sent.
  res.on('finish', () => {
    if (!settled) void settle(undefined, false);
  });
}
