import type { Types } from 'mongoose';
import { collegeDirectory } from '../colleges/colleges.service';
import { insertAllowingDuplicates } from '../db/insert-allowing-duplicates';
import { publishEvent } from '../events/event-bus';
import { problems } from '../http/problem';
import type { Actor } from '../identity/actor';
import { assertCan } from '../identity/policy';
import { readStudentDirectory } from '../students/directory/student-directory';
import { channelFor, greetingOf, groupFamilies, letterIdOf, type AudienceStudent, type Family } from './families';
import { LetterCampaignModel } from './letter-campaign.model';
import type { LetterCampaignRecord, LetterCampaignsService } from './letter-campaigns.service';
import type { LetterLinks } from './letter-links';
import { letterToken, newCampaignTokenKey } from './letter-tokens';
import { LETTER_CAMPAIGN_STATE_ZH, type LetterChannel } from './letter-vocabulary';
import { FamilyLetterModel } from './family-letter.model';
import { OutboxBatchModel } from './outbox-batch.model';

/** Letters per outbox batch. */
export const BATCH_SIZE = 100;
/** Letters inserted per command (and per step of the progress counter). */
const INSERT_SIZE = 1_000;

/** The families a campaign reaches, from the archives as they are now (read from the student directory). */
export async function audienceFamilies(campaign: Pick<LetterCampaignRecord, 'audience'>): Promise<Family[]> {
  const colleges = new Set(campaign.audience.colleges.map(String));
  const grades = new Set(campaign.audience.grades);
  const students: AudienceStudent[] = (await readStudentDirectory()).filter((s) => (colleges.size === 0 || colleges.has(String(s.college))) && (grades.size === 0 || grades.has(s.grade)));
  return groupFamilies(students).sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** B6 §8: how many students and families a campaign reaches, by channel and college, before it is launched. */
export async function audienceSummary(campaign: LetterCampaignRecord) {
  const [families, directory] = await Promise.all([audienceFamilies(campaign), collegeDirectory()]);
  const byChannel = { sms: 0, email: 0, print: 0 };
  const colleges = new Map<string, { students: number; families: number }>();
  let students = 0;
  let personalCalls = 0;
  for (const family of families) {
    byChannel[channelFor(family, campaign.channels)] += 1;
    students += family.students.length;
    if (family.students.some((s) => s.careTier === 'special')) personalCalls += 1;
    const college = String(family.students[0]!.college);
    const row = colleges.get(college) ?? { students: 0, families: 0 };
    row.families += 1;
    colleges.set(college, row);
    for (const s of family.students) {
      const own = colleges.get(String(s.college)) ?? { students: 0, families: 0 };
      own.students += 1;
      colleges.set(String(s.college), own);
    }
  }
  return {
    students,
    families: families.length,
    byChannel,
    personalCalls,
    colleges: [...colleges].map(([id, row]) => ({ id, code: directory.get(id)?.code ?? null, name: directory.get(id)?.name ?? null, ...row })).sort((a, b) => String(a.code).localeCompare(String(b.code))),
  };
}

interface PlannedLetter {
  family: Family;
  id: string;
  channel: LetterChannel;
  batch?: string;
}

/** Each family's letter, its channel and the outbox batch it goes out in — the same plan on every run. */
function planLetters(campaign: LetterCampaignRecord, families: Family[]): { letters: PlannedLetter[]; batches: Record<'sms' | 'email', PlannedLetter[][]> } {
  const campaignId = String(campaign._id);
  const letters = families.map((family) => ({ family, id: letterIdOf(campaignId, family.key), channel: channelFor(family, campaign.channels) }) as PlannedLetter);
  const batches: Record<'sms' | 'email', PlannedLetter[][]> = { sms: [], email: [] };
  for (const channel of ['sms', 'email'] as const) {
    const own = letters.filter((l) => l.channel === channel);
    for (let i = 0; i < own.length; i += BATCH_SIZE) {
      const batch = own.slice(i, i + BATCH_SIZE);
      const id = `${campaignId}:${channel}:${batches[channel].length}`;
      batch.forEach((l) => (l.batch = id));
      batches[channel].push(batch);
    }
  }
  return { letters, batches };
}

/**
 * B6 §2: launching makes one letter per family, exactly once. The campaign goes to `sending` (or
 * `scheduled`) with a fresh token key in one revision-checked write; the letters and outbox batches are then
 * inserted under ids derived from campaign and family, so a run repeated — a second launch, or the run
 * resumed after the process was killed — only meets its own earlier inserts. No transaction is needed.
 */
export class LetterLauncher {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly campaigns: LetterCampaignsService,
    private readonly links: LetterLinks,
    private readonly onError: (error: unknown, campaignId: string) => void = () => undefined,
  ) {}

  async launch(actor: Actor, id: string, expectedRevision?: number): Promise<LetterCampaignRecord> {
    assertCan(actor, 'letters:manage');
    const campaign = await this.campaigns.find(actor, id);
    // Launching again is answered with the campaign as it is: the first launch's letters are the letters.
    if (campaign.state !== 'draft') return campaign;
    this.campaigns.expect(campaign, expectedRevision);
    if (campaign.feedbackDueAt.getTime() <= Date.now()) throw problems.conflict('The feedback deadline has passed; move it before launching', '反馈截止时间已过，请先修改截止时间再发送');
    if (!campaign.html.trim()) throw problems.conflict('The letter has no text yet', '信件正文尚未填写');
    const scheduled = campaign.sendAt !== undefined && campaign.sendAt !== null && campaign.sendAt.getTime() > Date.now();
    let launched: LetterCampaignRecord;
    try {
      launched = await this.campaigns.write(campaign, { state: scheduled ? 'scheduled' : 'sending', tokenKey: this.links.sealKey(newCampaignTokenKey()), launchedBy: actor.userId, launchedAt: new Date() });
    } catch (error) {
      // Two launches at once: the other one won; answer with what it made.
      const now = await this.campaigns.find(actor, id);
      if (now.state !== 'draft') return now;
      throw error;
    }
    if (!scheduled) this.start(String(launched._id));
    return launched;
  }

  /** Runs (or joins) the creation of a campaign's letters in the background. */
  start(campaignId: string): Promise<void> {
    const existing = this.running.get(campaignId);
    if (existing) return existing;
    const run = this.createLetters(campaignId).finally(() => this.running.delete(campaignId));
    this.running.set(campaignId, run);
    // The next sweep (resume) tries again; a launch never fails the request that started it.
    run.catch((error: unknown) => this.onError(error, campaignId));
    return run;
  }

  /** Whatever a stopped process left: campaigns due to send, and campaigns whose letters are not all made (started, not awaited). */
  async resume(): Promise<void> {
    const now = new Date();
    const due = await LetterCampaignModel.find({ state: 'scheduled', sendAt: { $lte: now } }, { _id: 1 }).lean();
    for (const c of due) await LetterCampaignModel.updateOne({ _id: c._id }, { $set: { state: 'sending' } });
    const sending = await LetterCampaignModel.find({ state: 'sending' }, { _id: 1, lettersCreatedAt: 1 }).lean();
    for (const c of sending) if (!c.lettersCreatedAt) void this.start(String(c._id)).catch(() => undefined);
  }

  private async createLetters(campaignId: string): Promise<void> {
    const campaign = (await LetterCampaignModel.findById(campaignId).lean()) as LetterCampaignRecord | null;
    if (!campaign || campaign.state !== 'sending' || campaign.lettersCreatedAt || !campaign.tokenKey) return;
    const key = this.links.openKey(campaign.tokenKey);
    const families = await audienceFamilies(campaign);
    const { letters, batches } = planLetters(campaign, families);
    await LetterCampaignModel.updateOne(
      { _id: campaign._id },
      { $set: { 'progress.families': families.length, 'outbox.sms.batches': batches.sms.length, 'outbox.email.batches': batches.email.length } },
    );
    for (let i = 0; i < letters.length; i += INSERT_SIZE) {
      const chunk = letters.slice(i, i + INSERT_SIZE);
      await insertAllowingDuplicates(FamilyLetterModel as never, chunk.map((l) => this.letterDocument(campaign, key, l, new Date())), 'familyLetter', { lean: true });
      await LetterCampaignModel.updateOne({ _id: campaign._id }, { $set: { 'progress.created': i + chunk.length } });
    }
    for (const channel of ['sms', 'email'] as const) {
      const docs = batches[channel].map((batch, n) => ({
        _id: `${campaignId}:${channel}:${n}`,
        campaign: campaign._id,
        channel,
        letters: batch.map((l) => ({ letter: l.id, to: channel === 'sms' ? l.family.phones.filter((p) => /^1\d{10}$/.test(p)) : l.family.emails, greeting: greetingOf(l.family), college: l.family.students[0]!.college })),
      }));
      for (let i = 0; i < docs.length; i += 10) await insertAllowingDuplicates(OutboxBatchModel as never, docs.slice(i, i + 10), 'letterOutboxBatch', { lean: true });
    }
    const print = letters.filter((l) => l.channel === 'print').length;
    const sendsNothing = batches.sms.length === 0 && batches.email.length === 0;
    const now = new Date();
    await LetterCampaignModel.updateOne(
      { _id: campaign._id },
      { $set: { 'progress.created': letters.length, 'progress.print': print, lettersCreatedAt: now, ...(sendsNothing ? { state: 'open', sentAt: now } : {}) } },
    );
    if (sendsNothing) await publishCampaignSent(campaign._id);
  }

  private letterDocument(campaign: LetterCampaignRecord, key: Buffer, planned: PlannedLetter, now: Date) {
    const { family } = planned;
    const first = family.students[0]!;
    const colleges: Types.ObjectId[] = [];
    for (const s of family.students) if (!colleges.some((c) => c.equals(s.college))) colleges.push(s.college);
    return {
      _id: planned.id,
      campaign: campaign._id,
      college: first.college,
      counselor: first.counselor ?? undefined,
      grade: first.grade,
      students: family.students.map((s) => s._id),
      colleges,
      greeting: greetingOf(family),
      phones: family.phones,
      channel: planned.channel,
      personalCall: family.students.some((s) => s.careTier === 'special'),
      delivery: { state: 'pending', attempts: 0 },
      batch: planned.batch,
      tokenHash: letterToken(key, planned.id, 1).hash,
      tokenVersion: 1,
      opens: 0,
      feedbacks: 0,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** draft → (scheduled →) sending → open → closed: closing ends every link of the campaign. */
  async close(actor: Actor, id: string, expectedRevision?: number): Promise<LetterCampaignRecord> {
    assertCan(actor, 'letters:manage');
    const campaign = await this.campaigns.find(actor, id);
    this.campaigns.expect(campaign, expectedRevision);
    if (campaign.state !== 'open' && campaign.state !== 'sending') {
      throw problems.conflict(`Only a sent campaign can be closed (it is ${campaign.state})`, `只能结束已发送的信件（当前：${LETTER_CAMPAIGN_STATE_ZH[campaign.state]}）`);
    }
    return this.campaigns.write(campaign, { state: 'closed', closedAt: new Date() });
  }
}

/** `letterCampaign.sent`: every letter is out (printed letters are handed over by the colleges). */
export async function publishCampaignSent(campaignId: Types.ObjectId): Promise<void> {
  const campaign = await LetterCampaignModel.findById(campaignId).lean();
  if (!campaign) return;
  const directory = await collegeDirectory();
  await publishEvent({
    type: 'letterCampaign.sent',
    payload: {
      id: String(campaign._id),
      title: campaign.title,
      academicYear: campaign.academicYear,
      term: campaign.term,
      sentAt: campaign.sentAt ?? null,
      progress: campaign.progress,
      colleges: campaign.audience.colleges.map((c) => ({ id: String(c), code: directory.get(String(c))?.code ?? null })),
    },
  });
}
