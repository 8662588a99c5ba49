import { Router, type RequestHandler, type Response } from 'express';
import rateLimit from 'express-rate-limit';
import { declareRoute } from '../../http/contract/api-contract';
import { ApiError } from '../../http/problem';
import type { OpenedLetter, ParentLettersService } from './parent-letters.service';
import { feedbackBody, letterParams, parentLabels as labels, pictureParams, reopenBody, ticketParams } from './parent-letters.schemas';

/**
 * The parent's side of the term letter (B6 §3), mounted before sign-in: the link token is the only key.
 * Every route is rate-limited per address (HSB_LETTER_RATE_LIMIT a minute) and opens the letter first, so a
 * request with a link that opens nothing learns nothing else — not even whether its body was valid.
 */
export function parentLettersRoutes(parents: ParentLettersService, settings: { rateLimitPerMinute: number }): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Parent’s letter page (家长端·致家长的一封信)';

  const limiter = rateLimit({
    windowMs: 60_000,
    limit: settings.rateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new ApiError(429, 'RATE_LIMITED', 'Too many requests from this address; wait a minute and try again', '操作过于频繁，请一分钟后再试')),
  });
  const openLetter: RequestHandler = async (req, res, next) => {
    res.locals.letter = await parents.open(String(req.params.token ?? ''));
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
  const before = [limiter, openLetter];
  const opened = (res: Response) => res.locals.letter as OpenedLetter;

  declareRoute(router, at, { method: 'get', path: '/parent-letters/:token', summary: 'The family’s letter, the feedback form’s topics and the family’s feedback with the school’s responses (no account: the link is the key); records the read', tag, params: letterParams, labels, before, anonymous: true }, async (_input, _req, res) => {
    const letter = opened(res);
    await parents.recordRead(letter);
    res.json(await parents.view(letter));
  });
  declareRoute(router, at, { method: 'post', path: '/parent-letters/:token/feedback', summary: 'Send opinions and suggestions by topic (one ticket each, routed to an owner); the same submissionId again makes nothing twice', tag, params: letterParams, body: feedbackBody, labels, before, anonymous: true, status: 201 }, async ({ body }, _req, res) => {
    const letter = opened(res);
    await parents.feedback(letter, body);
    res.status(201).json(await parents.view(letter));
  });
  declareRoute(router, at, { method: 'post', path: '/parent-letters/:token/tickets/:ticketId/reopen', summary: 'The school’s answer did not help: the answered feedback is open again with a new deadline', tag, params: ticketParams, body: reopenBody, labels, before, anonymous: true, status: 200 }, async ({ params, body }, _req, res) => {
    const letter = opened(res);
    await parents.reopen(letter, params.ticketId, body.reason);
    res.json(await parents.view(letter));
  });
  declareRoute(router, at, { method: 'get', path: '/parent-letters/:token/pictures/:fileId', summary: 'A picture the letter shows (only those its text refers to)', tag, params: pictureParams, labels, before, anonymous: true, produces: 'image/*' }, async ({ params }, _req, res) => {
    const picture = await parents.picture(opened(res), params.fileId);
    res.setHeader('Content-Type', picture.contentType);
    res.setHeader('Content-Length', String(picture.size));
    res.setHeader('Cache-Control', 'private, max-age=3600');
    picture.stream.on('error', (error) => res.destroy(error));
    picture.stream.pipe(res);
  });
  return router;
}
