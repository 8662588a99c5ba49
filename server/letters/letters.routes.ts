import { Router, type Request, type Response } from 'express';
import { declareRoute } from '../http/contract/api-contract';
import { requireActor } from '../identity/policy';
import { ifMatchRevision } from '../visits/campaign-errors';
import type { FamilyLettersService } from './family-letters.service';
import type { LetterCampaignRecord, LetterCampaignsService } from './letter-campaigns.service';
import { audienceSummary, type LetterLauncher } from './letter-launch';
import type { LetterOutbox } from './letter-outbox';
import {
  deliveriesBody, familyLetterListQuery, familyLetterParams, letterCampaignBody, letterCampaignListQuery, letterCampaignParams, letterCampaignPatch, letterLabels as labels, outboxBody, previewQuery, sectionBody, sectionParams,
} from './letters.schemas';

export interface LetterServices {
  campaigns: LetterCampaignsService;
  launcher: LetterLauncher;
  outbox: LetterOutbox;
  letters: FamilyLettersService;
  /** HSB_PUBLIC_URL; unset: links use the address the caller reached the service at. */
  publicUrl?: string;
}

/** Term-end letters to parents (B6): campaigns, their launch, the outbox of the sender and the families' letters. */
export function lettersRoutes(s: LetterServices): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Term letters (致家长的一封信)';
  const base = (req: Request) => s.publicUrl ?? `${req.protocol}://${req.get('host')}`;
  const send = async (res: Response, campaign: LetterCampaignRecord, status = 200) => {
    res.status(status).setHeader('ETag', `"${campaign.revision}"`);
    res.json(await s.campaigns.presentOne(campaign));
  };

  declareRoute(router, at, { method: 'post', path: '/letter-campaigns', summary: 'Write a term letter (draft): text, audience, channels, dates; `template` starts from an earlier letter', tag, permission: 'letters:manage', body: letterCampaignBody, labels, status: 201 }, async ({ body }, req, res) => {
    await send(res, await s.campaigns.create(requireActor(req.actor), body), 201);
  });
  declareRoute(router, at, { method: 'get', path: '/letter-campaigns', summary: 'Term-letter campaigns, newest first (drafts only for those who write them)', tag, permission: 'letters:read', query: letterCampaignListQuery, labels }, async ({ query }, req, res) => {
    res.json(await s.campaigns.list(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'get', path: '/letter-campaigns/:id', summary: 'One campaign with its launch progress; ETag is its revision', tag, permission: 'letters:read', params: letterCampaignParams, labels }, async ({ params }, req, res) => {
    await send(res, await s.campaigns.find(requireActor(req.actor), params.id));
  });
  declareRoute(router, at, { method: 'patch', path: '/letter-campaigns/:id', summary: 'Change a draft or scheduled campaign (If-Match: its ETag)', tag, permission: 'letters:manage', params: letterCampaignParams, body: letterCampaignPatch, labels, status: 200 }, async ({ params, body }, req, res) => {
    await send(res, await s.campaigns.update(requireActor(req.actor), params.id, body, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'put', path: '/letter-campaigns/:id/colleges/:college/section', summary: 'The college’s own section of the letter (empty removes it); its leaders write it before the letter is sent', tag, permission: 'letters:section', params: sectionParams, body: sectionBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    await send(res, await s.campaigns.setSection(requireActor(req.actor), params.id, params.college, body.html, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'get', path: '/letter-campaigns/:id/preview', summary: 'The letter as a family of the college reads it on the parent’s page', tag, permission: 'letters:read', params: letterCampaignParams, query: previewQuery, labels }, async ({ params, query }, req, res) => {
    res.json(await s.campaigns.preview(requireActor(req.actor), params.id, query.college));
  });
  declareRoute(router, at, { method: 'get', path: '/letter-campaigns/:id/audience', summary: 'Students and families the letter reaches now, by channel and college (families: guardians sharing a phone or e-mail)', tag, permission: 'letters:manage', params: letterCampaignParams, labels }, async ({ params }, req, res) => {
    res.json(await audienceSummary(await s.campaigns.find(requireActor(req.actor), params.id)));
  });
  declareRoute(router, at, { method: 'post', path: '/letter-campaigns/:id/launch', summary: 'Launch: one letter per family, made in the background (scheduled when sendAt is later); launching again changes nothing', tag, permission: 'letters:manage', params: letterCampaignParams, labels, status: 202 }, async ({ params }, req, res) => {
    await send(res, await s.launcher.launch(requireActor(req.actor), params.id, ifMatchRevision(req.get('If-Match'))), 202);
  });
  declareRoute(router, at, { method: 'get', path: '/letter-campaigns/:id/progress', summary: 'Letters created, pending, sent, delivered, failed, printed; families who opened and answered', tag, permission: 'letters:read', params: letterCampaignParams, labels }, async ({ params }, req, res) => {
    res.json(await s.letters.progress(requireActor(req.actor), params.id));
  });
  declareRoute(router, at, { method: 'post', path: '/letter-campaigns/:id/outbox', summary: 'The next batch (up to 100) of letters to send on a channel, with each family’s link and SMS text; a batch is handed out once (again after 10 minutes without outcomes)', tag, permission: 'letters:manage', params: letterCampaignParams, body: outboxBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    res.json(await s.outbox.claim(requireActor(req.actor), params.id, body.channel, base(req)));
  });
  declareRoute(router, at, { method: 'post', path: '/letter-campaigns/:id/deliveries', summary: 'Outcomes of sending (sent, delivered, failed with the reason); the campaign opens when no letter is pending', tag, permission: 'letters:manage', params: letterCampaignParams, body: deliveriesBody, labels, status: 200 }, async ({ params, body }, req, res) => {
    res.json(await s.outbox.record(requireActor(req.actor), params.id, body.items));
  });
  declareRoute(router, at, { method: 'post', path: '/letter-campaigns/:id/close', summary: 'Close the campaign: links open nothing from now on', tag, permission: 'letters:manage', params: letterCampaignParams, labels, status: 200 }, async ({ params }, req, res) => {
    await send(res, await s.launcher.close(requireActor(req.actor), params.id, ifMatchRevision(req.get('If-Match'))));
  });
  declareRoute(router, at, { method: 'get', path: '/family-letters', summary: 'The families’ letters of a campaign in the caller’s scope: delivery, opened, answered, calls', tag, permission: 'letters:read', query: familyLetterListQuery, labels }, async ({ query }, req, res) => {
    res.json(await s.letters.list(requireActor(req.actor), query));
  });
  declareRoute(router, at, { method: 'post', path: '/family-letters/:id/revoke', summary: 'Revoke a family’s link and make a new one (the old link opens nothing)', tag, permission: 'letters:manage', params: familyLetterParams, labels, status: 200 }, async ({ params }, req, res) => {
    res.json(await s.letters.revoke(requireActor(req.actor), params.id, base(req)));
  });
  return router;
}
