import type { Types } from 'mongoose';
import { isDuplicateKey } from '../db/duplicate-key';
import { CaseAlertModel } from './case-alert.model';
import { CaseMilestoneModel, milestoneId } from './case-milestone.model';
import { KeyCaseModel, closedCaseKey, openCaseKey } from './key-case.model';

interface LegacyCase {
  _id: Types.ObjectId;
  student: Types.ObjectId;
  college: Types.ObjectId;
  category: string;
  status: string;
  owner: Types.ObjectId;
  escalatedAt?: Date | null;
  alerts?: Array<{ at: Date; raisedBy: Types.ObjectId; department?: string; description: string }>;
}

/**
 * Brings cases written before `openKey` and separate alert documents existed up to date, so that the
 * unique index on `openKey` can be built: each gets its key (the oldest open case of a student and
 * category keeps the open key; open duplicates the old find-then-insert left behind stay open under a
 * closed-style key until someone closes them), its embedded alerts are copied to `casealerts` and its
 * escalation becomes a milestone.
 */
export async function upgradeLegacyCases(): Promise<number> {
  const legacy = (await KeyCaseModel.find({ openKey: { $exists: false } }).sort({ createdAt: 1 }).lean()) as unknown as LegacyCase[];
  const taken = new Set<string>();
  for (const c of legacy) {
    const open = openCaseKey(c.student, c.category);
    const key = c.status === 'open' && !taken.has(open) ? open : closedCaseKey(c._id);
    taken.add(key);
    if (c.alerts?.length) {
      await CaseAlertModel.insertMany(c.alerts.map((a) => ({ case: c._id, college: c.college, at: a.at, raisedBy: a.raisedBy, department: a.department, description: a.description })));
    }
    if (c.escalatedAt) {
      await CaseMilestoneModel.create({ _id: milestoneId(c._id, 'escalated'), case: c._id, college: c.college, by: c.owner, at: c.escalatedAt }).catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
      });
    }
    await KeyCaseModel.updateOne({ _id: c._id }, { $set: { openKey: key } });
  }
  await KeyCaseModel.createIndexes();
  return legacy.length;
}
