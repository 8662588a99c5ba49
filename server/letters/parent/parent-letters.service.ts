import type { Readable } from 'node:stream';
import type { Types } from 'mongoose';
import { publishEvent } from '../../events/event-bus';
import type { FileStore } from '../../files/file-store';
import { StoredFileModel } from '../../files/stored-file.model';
import { ApiError, problems } from '../../http/problem';
import { FamilyLetterModel } from '../family-letter.model';
import { FeedbackTicketModel } from '../feedback-ticket.model';
import { LetterCampaignModel } from '../letter-campaign.model';
import { claimOnce } from '../letter-claims';
import type { LetterCampaignRecord, LetterCampaignsService } from '../letter-campaigns.service';
import { pictureIdsOf } from '../letter-html';
import { parseLetterToken, secretMatches } from '../letter-tokens';
import { FEEDBACK_TOPICS, FEEDBACK_TOPIC_ZH, TERM_ZH, TICKET_STATE_ZH, type FeedbackTopic, type LetterCampaignState, type Term, type TicketState } from '../letter-vocabulary';
import { MAX_SUBMISSIONS, takeFeedback, type FeedbackInput } from '../tickets/intake';
import { reopenTicket } from '../tickets/reopen-ticket';

/**
 * Every refusal of a link — unknown letter, wrong secret, an old (revoked) link, a campaign closed or not yet
 * sent — is this one answer, so a link reveals nothing about letters it does not open.
 */
export class LetterNotFound extends ApiError {
  constructor() {
    super(404, 'LETTER_NOT_FOUND', 'This letter link does not open a letter; it may have expired', '链接无效或已失效，无法打开信件');
  }
}

/** Campaign states in which a family's link opens its letter: from the first letter sent until it closes. */
export const OPEN_STATES: readonly LetterCampaignState[] = ['sending', 'open'];

const LETTER_FIELDS = { campaign: 1, college: 1, colleges: 1, counselor: 1, greeting: 1, tokenHash: 1, openedAt: 1, answeredAt: 1, feedbacks: 1 } as const;
const CAMPAIGN_FIELDS = { title: 1, term: 1, academicYear: 1, html: 1, collegeSections: 1, feedbackDueAt: 1, responseDays: 1, state: 1, createdBy: 1 } as const;

interface ParentLetter {
  _id: string;
  campaign: Types.ObjectId;
  college: Types.ObjectId;
  colleges?: Types.ObjectId[];
  counselor?: Types.ObjectId | null;
  greeting: string;
  tokenHash: string;
  openedAt?: Date | null;
  answeredAt?: Date | null;
  feedbacks?: number | null;
}

interface ParentCampaign {
  _id: Types.ObjectId;
  title: string;
  term: Term;
  academicYear: string;
  html: string;
  collegeSections: LetterCampaignRecord['collegeSections'];
  feedbackDueAt: Date;
  responseDays: number;
  state: LetterCampaignState;
  createdBy: Types.ObjectId;
}

/** A letter opened by its link: what the parent's routes work with (the token itself is kept only to build picture paths). */
export interface OpenedLetter {
  token: string;
  letter: ParentLetter;
  campaign: ParentCampaign;
}

/**
 * The parent's side of the term letter (B6 §3), reached with the link alone: the letter, the family's feedback
 * with the school's responses, sending feedback and saying an answer did not help, and the letter's pictures.
 * Nothing about the students beyond the greeting, nothing about staff, reaches the parent.
 */
export class ParentLettersService {
  constructor(
    private readonly campaigns: LetterCampaignsService,
    private readonly files: FileStore,
  ) {}

  /** Two point reads by `_id`; the secret is compared by its hash in constant time. */
  async open(token: string): Promise<OpenedLetter> {
    const parsed = parseLetterToken(token);
    if (!parsed) throw new LetterNotFound();
    const letter = (await FamilyLetterModel.findById(parsed.letterId, LETTER_FIELDS).lean()) as ParentLetter | null;
    if (!letter || !secretMatches(parsed.secret, letter.tokenHash)) throw new LetterNotFound();
    const campaign = (await LetterCampaignModel.findById(letter.campaign, CAMPAIGN_FIELDS).lean()) as ParentCampaign | null;
    if (!campaign || !OPEN_STATES.includes(campaign.state)) throw new LetterNotFound();
    return { token, letter, campaign };
  }

  /**
   * The parent read the letter: every open is counted on the letter (`$min` keeps the first time without a
   * guard); the first one is claimed once (letter-claims.ts), and only the request that wins the claim counts
   * the family on the campaign and announces `letter.opened` — however many opens race.
   */
  async recordRead(opened: OpenedLetter, now = new Date(), countOpen = true): Promise<void> {
    const { letter, campaign } = opened;
    await FamilyLetterModel.updateOne({ _id: letter._id }, { $min: { openedAt: now }, $set: { lastOpenedAt: now }, $inc: { opens: countOpen ? 1 : 0 } });
    if (letter.openedAt) return;
    letter.openedAt = now;
    if (!(await claimOnce(`${letter._id}:opened`, now))) return;
    await LetterCampaignModel.updateOne({ _id: campaign._id }, { $inc: { 'progress.opened': 1 } });
    await publishEvent({
      type: 'letter.opened',
      college: letter.college,
      owner: letter.counselor ?? null,
      payload: { letter: letter._id, campaign: String(campaign._id), college: String(letter.college), counselor: letter.counselor ? String(letter.counselor) : null, openedAt: now },
    });
  }

  /** Whether the family may still send feedback: before the deadline, and with places left. */
  private canAnswer({ letter, campaign }: OpenedLetter, now: Date): boolean {
    return now.getTime() <= campaign.feedbackDueAt.getTime() && (letter.feedbacks ?? 0) < MAX_SUBMISSIONS;
  }

  /** The page's body (GET /api/parent-letters/:token): only what the parent needs and nothing that identifies anyone else. */
  async view(opened: OpenedLetter, now = new Date()) {
    const { letter, campaign, token } = opened;
    const tickets = await FeedbackTicketModel.find({ letter: letter._id }, { topic: 1, text: 1, receivedAt: 1, state: 1, responses: 1, followThrough: 1 })
      .sort({ receivedAt: 1, _id: 1 })
      .limit(MAX_SUBMISSIONS * FEEDBACK_TOPICS.length)
      .lean();
    return {
      title: campaign.title,
      term: campaign.term,
      termLabel: `${campaign.academicYear} 学年${TERM_ZH[campaign.term]}`,
      greeting: letter.greeting,
      html: this.letterHtml(opened).replace(/(<img [^>]*src=")\/api\/files\/([0-9a-f]{24})"/g, `$1/api/parent-letters/${token}/pictures/$2"`),
      feedbackDueAt: campaign.feedbackDueAt,
      canAnswer: this.canAnswer(opened, now),
      topics: FEEDBACK_TOPICS.map((value) => ({ value, label: FEEDBACK_TOPIC_ZH[value] })),
      feedbacks: tickets.map((t) => ({
        id: t._id,
        topic: t.topic,
        topicLabel: FEEDBACK_TOPIC_ZH[t.topic as FeedbackTopic],
        text: t.text,
        receivedAt: t.receivedAt,
        state: t.state,
        stateLabel: TICKET_STATE_ZH[t.state as TicketState],
        responses: t.responses.map((r) => ({ text: r.text, at: r.at })),
        followThrough: t.followThrough.map((f) => ({ text: f.text, at: f.at })),
        canReopen: t.state === 'responded' || t.state === 'closed',
      })),
    };
  }

  private letterHtml({ letter, campaign }: OpenedLetter): string {
    return this.campaigns.composedHtml(campaign, [letter.college, ...(letter.colleges ?? [])]);
  }

  async feedback(opened: OpenedLetter, input: FeedbackInput, now = new Date()): Promise<void> {
    if (now.getTime() > opened.campaign.feedbackDueAt.getTime()) {
      throw new ApiError(409, 'FEEDBACK_CLOSED', 'Feedback on this letter was due before now', '本信件的反馈已截止', [
        { path: 'items', message: '反馈已截止，不能再提交', messageEn: 'the feedback deadline has passed', rule: 'deadline' },
      ]);
    }
    if (!opened.letter.openedAt) await this.recordRead(opened, now, false);
    await takeFeedback(opened.campaign, opened.letter, input, now);
    opened.letter.feedbacks = (await FamilyLetterModel.findById(opened.letter._id, { feedbacks: 1 }).lean())?.feedbacks ?? opened.letter.feedbacks;
  }

  async reopen(opened: OpenedLetter, ticketId: string, reason: string, now = new Date()): Promise<void> {
    await reopenTicket(opened.letter._id, ticketId, reason, opened.campaign.responseDays, now);
  }

  /** A picture the letter shows (its html refers to it) — no other stored file is reachable from a link. */
  async picture(opened: OpenedLetter, fileId: string): Promise<{ contentType: string; size: number; stream: Readable }> {
    if (!pictureIdsOf(this.letterHtml(opened)).includes(fileId)) throw problems.notFound('Picture', '图片');
    const file = await StoredFileModel.findById(fileId, { contentType: 1, size: 1, storage: 1, location: 1 }).lean();
    if (!file || !file.contentType.startsWith('image/')) throw problems.notFound('Picture', '图片');
    return { contentType: file.contentType, size: file.size, stream: this.files.open(file) };
  }
}
