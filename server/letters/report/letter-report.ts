import { Types } from 'mongoose';
import { collegeDirectory, type CollegeRef } from '../../colleges/colleges.service';
import { problems } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { isCollegeScoped, mayActForCollege, scopeFilter } from '../../identity/policy';
import { UserModel } from '../../identity/user.model';
import { FamilyLetterModel } from '../family-letter.model';
import { FeedbackTicketModel } from '../feedback-ticket.model';
import type { LetterCampaignsService } from '../letter-campaigns.service';
import { FEEDBACK_TOPICS, FEEDBACK_TOPIC_ZH, LETTER_CAMPAIGN_STATE_ZH, TERM_ZH, type FeedbackTopic, type TicketState } from '../letter-vocabulary';

/** The figures of one line of the report: the whole campaign, a college or a counselor's families. */
export interface ReportFigures {
  letters: number;
  sent: number;
  delivered: number;
  failed: number;
  printed: number;
  opened: number;
  answered: number;
  /** Tickets (one per topic of a feedback), those closed with a follow-through, and still open ones. */
  tickets: number;
  closedWithFollowThrough: number;
  /** closedWithFollowThrough / tickets, in percent with one decimal; null without tickets. */
  closedShare: number | null;
  unfinished: number;
  /** Hours from a feedback's arrival to its first response (nearest rank); null when none was answered. */
  responseHoursP50: number | null;
  responseHoursP90: number | null;
  responded: number;
}

const zeroFigures = (): ReportFigures => ({
  letters: 0, sent: 0, delivered: 0, failed: 0, printed: 0, opened: 0, answered: 0,
  tickets: 0, closedWithFollowThrough: 0, closedShare: null, unfinished: 0, responseHoursP50: null, responseHoursP90: null, responded: 0,
});

/** The value at rank ⌈p·n⌉ of the sorted values (nearest-rank percentile). */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const key = (id: Types.ObjectId | null | undefined) => (id ? String(id) : '');

type Key = { college: Types.ObjectId; counselor?: Types.ObjectId | null };
type Counted<K> = { _id: K; n: number };

/**
 * B6 §6: how a term letter did — letters, delivery, opened, answered; feedback by topic; how fast and how
 * completely it was answered; what is still open with whom. Every count is a `$match` on an indexed
 * campaign field followed by one `$group` with `$sum: 1` (the part of the aggregation language every
 * supported engine runs, see dashboards/figures.ts, plus `$type` in the key); the split is in the group key
 * and the lines are added up here from the groups. Only the response times need the distribution: two dates per answered
 * ticket are streamed through a cursor, never the letters or the texts.
 */
export class LetterReportService {
  constructor(private readonly campaigns: LetterCampaignsService) {}

  async report(actor: Actor, id: string, collegeRef?: string, now = new Date()) {
    const campaign = await this.campaigns.find(actor, id);
    const directory = await collegeDirectory();
    let college: CollegeRef | undefined;
    if (collegeRef) {
      college = directory.get(collegeRef);
      if (!college || (isCollegeScoped(actor) && !mayActForCollege(actor, college._id))) throw problems.notFound('College', '学院');
    } else if (isCollegeScoped(actor) && actor.college) {
      college = directory.get(String(actor.college));
    }
    const scope: Record<string, unknown> = { campaign: campaign._id, ...scopeFilter(actor, 'letter') };
    if (college) scope.college = college._id;

    const byLine = { $group: { _id: { college: '$college', counselor: '$counselor' }, n: { $sum: 1 } } };
    const [letters, tickets, followedThrough, overdue, responseTimes] = await Promise.all([
      // One pass over the letters: whether a letter was opened or answered is the type of its date (date or missing).
      FamilyLetterModel.aggregate<Counted<Key & { state: string; channel: string; opened: string; answered: string }>>([
        { $match: scope },
        { $group: { _id: { college: '$college', counselor: '$counselor', state: '$delivery.state', channel: '$channel', opened: { $type: '$openedAt' }, answered: { $type: '$answeredAt' } }, n: { $sum: 1 } } },
      ]),
      FeedbackTicketModel.aggregate<Counted<Key & { topic: FeedbackTopic; state: TicketState; owner: Types.ObjectId; ownerName: string }>>([
        { $match: scope },
        { $group: { _id: { college: '$college', counselor: '$counselor', topic: '$topic', state: '$state', owner: '$owner', ownerName: '$ownerName' }, n: { $sum: 1 } } },
      ]),
      FeedbackTicketModel.aggregate<Counted<Key>>([{ $match: { ...scope, state: 'closed', 'followThrough.0': { $exists: true } } }, byLine]),
      // Overdue: still waiting for its response after the due time.
      FeedbackTicketModel.aggregate<Counted<{ owner: Types.ObjectId }>>([{ $match: { ...scope, state: 'open', dueAt: { $lt: now } } }, { $group: { _id: { owner: '$owner' }, n: { $sum: 1 } } }]),
      this.responseTimes(scope),
    ]);

    const totals = zeroFigures();
    const colleges = new Map<string, ReportFigures>();
    const counselors = new Map<string, ReportFigures & { college: string; counselor: string }>();
    const linesOf = (k: Key): ReportFigures[] => {
      const c = key(k.college);
      if (!colleges.has(c)) colleges.set(c, zeroFigures());
      const ck = `${c}|${key(k.counselor)}`;
      if (!counselors.has(ck)) counselors.set(ck, { ...zeroFigures(), college: c, counselor: key(k.counselor) });
      return [totals, colleges.get(c)!, counselors.get(ck)!];
    };
    const add = (k: Key, field: keyof ReportFigures, n: number) => {
      for (const line of linesOf(k)) (line[field] as number) += n;
    };
    for (const g of letters) {
      add(g._id, 'letters', g.n);
      if (g._id.opened === 'date') add(g._id, 'opened', g.n);
      if (g._id.answered === 'date') add(g._id, 'answered', g.n);
      if (g._id.channel === 'print') add(g._id, 'printed', g.n);
      if (g._id.state === 'sent' || g._id.state === 'delivered') add(g._id, 'sent', g.n);
      if (g._id.state === 'delivered') add(g._id, 'delivered', g.n);
      if (g._id.state === 'failed') add(g._id, 'failed', g.n);
    }
    const topics = new Map(FEEDBACK_TOPICS.map((t) => [t, { topic: t, topicZh: FEEDBACK_TOPIC_ZH[t], tickets: 0, open: 0, responded: 0, closed: 0 }]));
    for (const g of tickets) {
      add(g._id, 'tickets', g.n);
      if (g._id.state !== 'closed') add(g._id, 'unfinished', g.n);
      const topic = topics.get(g._id.topic);
      if (topic) {
        topic.tickets += g.n;
        topic[g._id.state] += g.n;
      }
    }
    for (const g of followedThrough) add(g._id, 'closedWithFollowThrough', g.n);
    // Response times of every line: sorted durations per line key.
    const durations = new Map<ReportFigures, number[]>();
    for (const r of responseTimes) {
      for (const line of linesOf(r)) {
        if (!durations.has(line)) durations.set(line, []);
        durations.get(line)!.push(r.hours);
      }
    }
    const finish = (line: ReportFigures) => {
      line.closedShare = line.tickets ? round1((100 * line.closedWithFollowThrough) / line.tickets) : null;
      const hours = (durations.get(line) ?? []).sort((a, b) => a - b);
      line.responded = hours.length;
      const p50 = nearestRank(hours, 0.5);
      const p90 = nearestRank(hours, 0.9);
      line.responseHoursP50 = p50 === null ? null : round1(p50);
      line.responseHoursP90 = p90 === null ? null : round1(p90);
    };
    [totals, ...colleges.values(), ...counselors.values()].forEach(finish);

    const owners = new Map<string, { id: string; name: string; unfinished: number; overdue: number }>();
    for (const g of tickets) {
      if (g._id.state === 'closed') continue;
      const o = owners.get(key(g._id.owner)) ?? { id: key(g._id.owner), name: g._id.ownerName, unfinished: 0, overdue: 0 };
      o.unfinished += g.n;
      owners.set(o.id, o);
    }
    for (const g of overdue) {
      const o = owners.get(key(g._id.owner));
      if (o) o.overdue += g.n;
    }
    const counselorIds = [...new Set([...counselors.values()].map((c) => c.counselor).filter(Boolean))];
    const names = new Map(
      (await UserModel.find({ _id: { $in: counselorIds.map((c) => new Types.ObjectId(c)) } }, { displayName: 1 }).lean()).map((u) => [String(u._id), u.displayName]),
    );
    const collegeOf = (id: string) => ({ id, code: directory.get(id)?.code ?? null, name: directory.get(id)?.name ?? null });

    return {
      campaign: {
        id: String(campaign._id), title: campaign.title, academicYear: campaign.academicYear, term: campaign.term, termZh: TERM_ZH[campaign.term],
        state: campaign.state, stateZh: LETTER_CAMPAIGN_STATE_ZH[campaign.state], feedbackDueAt: campaign.feedbackDueAt,
      },
      college: college ? collegeOf(String(college._id)) : null,
      computedAt: now,
      totals,
      colleges: [...colleges].map(([id, figures]) => ({ college: collegeOf(id), ...figures })).sort((a, b) => String(a.college.code).localeCompare(String(b.college.code))),
      counselors: [...counselors.values()]
        .map(({ college: c, counselor, ...figures }) => ({ counselor: { id: counselor || null, name: counselor ? (names.get(counselor) ?? null) : null }, college: collegeOf(c), ...figures }))
        .sort((a, b) => String(a.college.code).localeCompare(String(b.college.code)) || String(a.counselor.name ?? '\uffff').localeCompare(String(b.counselor.name ?? '\uffff'), 'zh-CN')),
      topics: [...topics.values()],
      owners: [...owners.values()].sort((a, b) => b.overdue - a.overdue || b.unfinished - a.unfinished || a.name.localeCompare(b.name, 'zh-CN')),
    };
  }

  /** Hours from arrival to first response of every answered ticket in scope, streamed (two dates each). */
  private async responseTimes(scope: Record<string, unknown>): Promise<Array<Key & { hours: number }>> {
    const out: Array<Key & { hours: number }> = [];
    type Timed = { college: Types.ObjectId; counselor?: Types.ObjectId | null; receivedAt: Date; responses?: Array<{ at: Date }> };
    const cursor = FeedbackTicketModel.find({ ...scope, 'responses.0': { $exists: true } }, { college: 1, counselor: 1, receivedAt: 1, 'responses.at': 1 }).lean<Timed[]>().batchSize(1000).cursor();
    for await (const t of cursor as AsyncIterable<Timed>) {
      const first = (t.responses ?? []).reduce<number>((min, r) => Math.min(min, new Date(r.at).getTime()), Infinity);
      if (!Number.isFinite(first)) continue;
      out.push({ college: t.college, counselor: t.counselor ?? null, hours: (first - new Date(t.receivedAt).getTime()) / 3_600_000 });
    }
    return out;
  }
}

export type LetterReport = Awaited<ReturnType<LetterReportService['report']>>;
