import { DateTime } from 'luxon';
import type { Credentials, TestService } from './test-service';

/** `yyyy-MM-dd HH:mm` in Asia/Shanghai, `days` from now. */
export const letterDeadline = (days: number): string => DateTime.now().setZone('Asia/Shanghai').plus({ days }).toFormat('yyyy-MM-dd HH:mm');

export const LETTER_HTML = '<h2>致家长的一封信</h2><p>尊敬的家长：本学期学校在教学、育人等方面取得新进展。</p>';

/** Creates a draft term-letter campaign (B6) and answers its presented body. */
export async function draftLetter(t: TestService, as: Credentials, body: Record<string, unknown> = {}) {
  const created = await t.request('POST', '/api/letter-campaigns', { as, body: { title: '2026 秋季学期致家长的一封信', term: 'autumn', html: LETTER_HTML, feedbackDueAt: letterDeadline(20), ...body } });
  if (created.status !== 201) throw new Error(`letter campaign: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body as { id: string; revision: number; [key: string]: unknown };
}

/** Polls the progress until every family's letter exists. */
export async function lettersCreated(t: TestService, as: Credentials, id: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const progress = await t.request('GET', `/api/letter-campaigns/${id}/progress`, { as });
    if (progress.body.lettersCreated) return progress.body as { families: number; created: number; print: number; [key: string]: unknown };
    if (Date.now() > until) throw new Error(`letters not created in time: ${JSON.stringify(progress.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Creates, launches and waits for the letters of a campaign. */
export async function launchedLetter(t: TestService, as: Credentials, body: Record<string, unknown> = {}) {
  const draft = await draftLetter(t, as, body);
  const launched = await t.request('POST', `/api/letter-campaigns/${draft.id}/launch`, { as });
  if (launched.status !== 202) throw new Error(`launch: ${launched.status} ${JSON.stringify(launched.body)}`);
  return { id: draft.id, progress: await lettersCreated(t, as, draft.id) };
}

export interface OutboxItem {
  letter: string;
  to: string[];
  link: string;
  greeting: string;
  text: string;
}

/** Takes every SMS batch out of the outbox and reports each letter sent: the links by letter id. */
export async function sendAllLetters(t: TestService, as: Credentials, id: string): Promise<Map<string, OutboxItem>> {
  const sent = new Map<string, OutboxItem>();
  for (;;) {
    const batch = await t.request('POST', `/api/letter-campaigns/${id}/outbox`, { as, body: { channel: 'sms' } });
    if (batch.status !== 200) throw new Error(`outbox: ${batch.status} ${JSON.stringify(batch.body)}`);
    const items = batch.body.items as OutboxItem[];
    if (items.length === 0) return sent;
    for (const item of items) sent.set(item.letter, item);
    const recorded = await t.request('POST', `/api/letter-campaigns/${id}/deliveries`, { as, body: { items: items.map((i) => ({ letter: i.letter, state: 'sent' })) } });
    if (recorded.status !== 200) throw new Error(`deliveries: ${recorded.status} ${JSON.stringify(recorded.body)}`);
  }
}

/** The token of a link (`…/l/<token>`). */
export const tokenOf = (link: string): string => link.slice(link.lastIndexOf('/l/') + 3);
