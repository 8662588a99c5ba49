import { Types } from 'mongoose';
import { collegeDirectory } from '../../colleges/colleges.service';
import { isDuplicateKey } from '../../db/duplicate-key';
import { problems, type FieldProblem } from '../../http/problem';
import type { Actor } from '../../identity/actor';
import { assertCan } from '../../identity/policy';
import type { Role } from '../../identity/roles';
import { UserModel } from '../../identity/user.model';
import { FEEDBACK_TOPICS, FEEDBACK_TOPIC_ZH, type FeedbackTopic } from '../letter-vocabulary';
import { ROUTING_RULES_ID, RoutingRulesModel } from '../routing-rules.model';
import { RevisionRequired, StaleRevision } from './ticket-errors';
import { ownerProblem } from './tickets.service';

export interface RuleInput {
  topic: string;
  college?: string;
  owner: string;
  note?: string;
}

interface StoredRule {
  topic: string;
  college?: Types.ObjectId | null;
  owner: Types.ObjectId;
  note?: string;
}

const TOPIC_LIST = FEEDBACK_TOPICS.map((t) => `${t}（${FEEDBACK_TOPIC_ZH[t]}）`).join('、');

/**
 * Where feedback goes besides the family's counselor (B6 §4): one settings document, read by everyone who
 * reads letters, replaced whole by letter managers with If-Match on its revision.
 */
export class RoutingRulesService {
  async get(actor: Actor) {
    assertCan(actor, 'letters:read');
    const doc = await RoutingRulesModel.findById(ROUTING_RULES_ID).lean();
    return this.present(doc ? { rules: doc.rules as StoredRule[], revision: doc.revision, updatedAt: (doc as { updatedAt?: Date }).updatedAt ?? null } : { rules: [], revision: 0, updatedAt: null });
  }

  async replace(actor: Actor, rules: RuleInput[], expected: number | undefined) {
    assertCan(actor, 'letters:manage');
    if (expected === undefined) throw new RevisionRequired();
    const stored = await this.validate(rules);
    if (expected === 0) {
      try {
        await RoutingRulesModel.create({ _id: ROUTING_RULES_ID, rules: stored, revision: 1, updatedBy: actor.userId });
      } catch (error) {
        if (isDuplicateKey(error)) throw new StaleRevision('rules', expected);
        throw error;
      }
    } else {
      const changed = await RoutingRulesModel.updateOne({ _id: ROUTING_RULES_ID, revision: expected }, { $set: { rules: stored, updatedBy: actor.userId }, $inc: { revision: 1 } });
      if (changed.modifiedCount !== 1) throw new StaleRevision('rules', expected);
    }
    return this.get(actor);
  }

  /** Every rule checked at once: the topic is one of the vocabulary, the college exists, the owner is active staff who can see that feedback. */
  private async validate(rules: RuleInput[]): Promise<StoredRule[]> {
    const refs = [...new Set(rules.map((r) => r.owner))];
    const ids = refs.filter((r) => /^[0-9a-f]{24}$/.test(r)).map((r) => new Types.ObjectId(r));
    const names = refs.filter((r) => !/^[0-9a-f]{24}$/.test(r)).map((r) => r.toLowerCase());
    const [directory, users] = await Promise.all([
      collegeDirectory(),
      refs.length ? UserModel.find({ $or: [{ _id: { $in: ids } }, { username: { $in: names } }] }).select('username displayName role college active').limit(refs.length * 2).lean() : [],
    ]);
    const byRef = new Map<string, (typeof users)[number]>();
    for (const u of users) {
      byRef.set(String(u._id), u);
      byRef.set(u.username, u);
    }
    const details: FieldProblem[] = [];
    const seen = new Set<string>();
    const stored: StoredRule[] = [];
    rules.forEach((rule, i) => {
      const at = (field: string) => `rules[${i}].${field}`;
      const topicOk = (FEEDBACK_TOPICS as readonly string[]).includes(rule.topic);
      if (!topicOk) details.push({ path: at('topic'), message: `反馈类别应为 ${TOPIC_LIST} 之一`, messageEn: `must be one of ${FEEDBACK_TOPICS.join(', ')}`, rule: 'enum' });
      const college = rule.college ? directory.get(rule.college) : undefined;
      if (rule.college && !college) details.push({ path: at('college'), message: `学院“${rule.college}”不存在`, messageEn: `no college ${rule.college}`, rule: 'exists' });
      const user = byRef.get(rule.owner.toLowerCase()) ?? byRef.get(rule.owner);
      if (!user || !user.active) {
        details.push({ path: at('owner'), message: `“${rule.owner}”不是在职教职工账号`, messageEn: `${rule.owner} is not an active staff account`, rule: 'activeUser' });
      } else if (!rule.college || college) {
        const problem = ownerProblem({ role: user.role as Role, college: user.college }, college?._id);
        if (problem) details.push({ path: at('owner'), message: `${user.displayName}${problem.zh}`, messageEn: `${user.username} ${problem.en}`, rule: 'owner' });
      }
      const key = `${rule.topic}:${college ? String(college._id) : '*'}`;
      if (topicOk && (!rule.college || college)) {
        if (seen.has(key)) details.push({ path: at('topic'), message: '同一类别（及学院）只能有一条规则', messageEn: 'another rule has the same topic and college', rule: 'unique' });
        seen.add(key);
      }
      if (user) stored.push({ topic: rule.topic, ...(college ? { college: college._id } : {}), owner: user._id, note: rule.note ?? '' });
    });
    if (details.length) throw problems.validation(details);
    return stored;
  }

  private async present(doc: { rules: StoredRule[]; revision: number; updatedAt: Date | null }) {
    const [directory, users] = await Promise.all([
      collegeDirectory(),
      doc.rules.length ? UserModel.find({ _id: { $in: [...new Set(doc.rules.map((r) => String(r.owner)))] } }).select('username displayName active').lean() : [],
    ]);
    const byId = new Map(users.map((u) => [String(u._id), u]));
    return {
      rules: doc.rules.map((r) => {
        const college = r.college ? directory.get(String(r.college)) : undefined;
        const owner = byId.get(String(r.owner));
        return {
          topic: r.topic,
          topicLabel: FEEDBACK_TOPIC_ZH[r.topic as FeedbackTopic] ?? r.topic,
          college: r.college ? { id: String(r.college), code: college?.code ?? null, name: college?.name ?? null } : null,
          owner: { id: String(r.owner), username: owner?.username ?? null, name: owner?.displayName ?? null, active: owner?.active ?? false },
          note: r.note ?? '',
        };
      }),
      revision: doc.revision,
      updatedAt: doc.updatedAt,
    };
  }
}
