import { Types } from 'mongoose';
import { UserModel } from '../../identity/user.model';
import type { FeedbackTopic } from '../letter-vocabulary';
import { ROUTING_RULES_ID, RoutingRulesModel } from '../routing-rules.model';

/** Why a ticket has its owner (kept on the ticket as `routedBy`). */
export type RoutedBy = 'collegeRule' | 'topicRule' | 'counselor' | 'collegeLeader' | 'campaignOwner';

export interface TicketOwner {
  owner: Types.ObjectId;
  ownerName: string;
  routedBy: RoutedBy;
}

export interface RoutingFamily {
  college: Types.ObjectId;
  counselor?: Types.ObjectId | null;
}

type Rule = { topic: string; college?: Types.ObjectId | null; owner: Types.ObjectId };

/**
 * The owners of one family's feedback, by topic (B6 §4), in this order: the rule for the topic and the
 * family's college; else the topic's rule for every college; else the family's counselor; else a leader of
 * the family's college (the earliest active one); else whoever wrote the campaign. Someone no longer active
 * is passed over. One read of the rules, one of the users they name, and the leader only when needed.
 */
export async function resolveOwners(family: RoutingFamily, topics: readonly FeedbackTopic[], campaignOwner: Types.ObjectId): Promise<Map<FeedbackTopic, TicketOwner>> {
  const settings = (await RoutingRulesModel.findById(ROUTING_RULES_ID, { rules: 1 }).lean()) as { rules?: Rule[] } | null;
  const rules = settings?.rules ?? [];
  const candidates: Array<Array<{ id: Types.ObjectId; routedBy: RoutedBy }>> = topics.map((topic) => {
    const own = rules.find((r) => r.topic === topic && r.college && family.college.equals(r.college));
    const wide = rules.find((r) => r.topic === topic && !r.college);
    return [
      ...(own ? [{ id: own.owner, routedBy: 'collegeRule' as const }] : []),
      ...(wide ? [{ id: wide.owner, routedBy: 'topicRule' as const }] : []),
      ...(family.counselor ? [{ id: family.counselor, routedBy: 'counselor' as const }] : []),
    ];
  });
  const ids = [...new Set(candidates.flat().map((c) => String(c.id)).concat(String(campaignOwner)))].map((id) => new Types.ObjectId(id));
  const users = new Map((await UserModel.find({ _id: { $in: ids } }, { displayName: 1, active: 1 }).lean()).map((u) => [String(u._id), u]));
  const active = (id: Types.ObjectId) => {
    const user = users.get(String(id));
    return user && user.active !== false ? user : undefined;
  };

  let leader: TicketOwner | null | undefined;
  const collegeLeader = async (): Promise<TicketOwner | null> => {
    if (leader === undefined) {
      const found = await UserModel.findOne({ role: 'collegeLeader', college: family.college, active: { $ne: false } }, { displayName: 1 }).sort({ _id: 1 }).lean();
      leader = found ? { owner: found._id, ownerName: found.displayName, routedBy: 'collegeLeader' } : null;
    }
    return leader;
  };

  const owners = new Map<FeedbackTopic, TicketOwner>();
  for (const [i, topic] of topics.entries()) {
    const chosen = candidates[i]!.find((c) => active(c.id));
    if (chosen) {
      owners.set(topic, { owner: chosen.id, ownerName: active(chosen.id)!.displayName, routedBy: chosen.routedBy });
      continue;
    }
    const byLeader = await collegeLeader();
    owners.set(topic, byLeader ?? { owner: campaignOwner, ownerName: users.get(String(campaignOwner))?.displayName ?? '学生工作部', routedBy: 'campaignOwner' });
  }
  return owners;
}
