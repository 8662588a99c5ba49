import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { ZONE } from '../calendar/academic-calendar';
import { KeyCaseModel } from '../liaison/key-case.model';
import { AwardModel } from '../liaison/award.model';
import { StudentModel } from '../students/student.model';
import { CARE_TIERS } from '../students/student.model';

/** Open cases by how long they have been open, in days (Beijing days). */
export const CASE_AGES = [
  { key: '0-3', zh: '3 天内', fromDays: 0, toDays: 3 },
  { key: '4-7', zh: '4–7 天', fromDays: 3, toDays: 7 },
  { key: '8-30', zh: '8–30 天', fromDays: 7, toDays: 30 },
  { key: '31+', zh: '30 天以上', fromDays: 30, toDays: Infinity },
] as const;

const id = (value: Types.ObjectId | null | undefined) => (value ? String(value) : '');

/**
 * Every figure is a `$match` + `$group` with `$sum: 1` — the part of the aggregation language every
 * supported engine runs (the embedded FerretDB has no `$cond`, `$facet` or comparison expressions), so
 * conditions are matches and the split is in the group key.
 */
export async function studentFigures(academicYear: string, now: Date, intervalDays: Record<string, number>) {
  const cutoff = (tier: string) => new Date(now.getTime() - (intervalDays[tier] ?? intervalDays.general!) * 86_400_000);
  const [byYear, overdue] = await Promise.all([
    StudentModel.aggregate<{ _id: { college: Types.ObjectId; counselor?: Types.ObjectId; careTier: string; year?: string }; n: number }>([
      { $group: { _id: { college: '$college', counselor: '$counselor', careTier: '$careTier', year: '$lastConfirmedYear' }, n: { $sum: 1 } } },
    ]),
    StudentModel.aggregate<{ _id: { college: Types.ObjectId; counselor?: Types.ObjectId; careTier: string }; n: number }>([
      { $match: { $or: [{ lastContactAt: null }, ...CARE_TIERS.map((tier) => ({ careTier: tier, lastContactAt: { $lt: cutoff(tier) } }))] } },
      { $group: { _id: { college: '$college', counselor: '$counselor', careTier: '$careTier' }, n: { $sum: 1 } } },
    ]),
  ]);
  const cells = new Map<string, { college: string; counselor: string; careTier: string; students: number; stale: number; overdue: number }>();
  const cell = (k: { college: Types.ObjectId; counselor?: Types.ObjectId; careTier: string }) => {
    const key = `${id(k.college)}|${id(k.counselor)}|${k.careTier}`;
    let found = cells.get(key);
    if (!found) cells.set(key, (found = { college: id(k.college), counselor: id(k.counselor), careTier: k.careTier, students: 0, stale: 0, overdue: 0 }));
    return found;
  };
  for (const g of byYear) {
    const c = cell(g._id);
    c.students += g.n;
    if (g._id.year !== academicYear) c.stale += g.n;
  }
  for (const g of overdue) cell(g._id).overdue += g.n;
  return [...cells.values()];
}

export async function caseFigures(now: Date) {
  const at = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const group = { $group: { _id: { college: '$college', owner: '$owner', category: '$category' }, n: { $sum: 1 } } };
  type Grouped = { _id: { college: Types.ObjectId; owner: Types.ObjectId; category: string }; n: number };
  const [ages, overdue] = await Promise.all([
    Promise.all(CASE_AGES.map((age) => KeyCaseModel.aggregate<Grouped>([
      { $match: { status: 'open', createdAt: { $lte: at(age.fromDays), ...(Number.isFinite(age.toDays) ? { $gt: at(age.toDays) } : {}) } } },
      group,
    ]))),
    KeyCaseModel.aggregate<Grouped & { _id: Grouped['_id'] }>([{ $match: { status: 'open', deadline: { $lt: now } } }, group]),
  ]);
  const cells = new Map<string, { college: string; owner: string; category: string; age: string; open: number; overdue: number }>();
  ages.forEach((groups, i) => {
    for (const g of groups) {
      const key = `${id(g._id.college)}|${id(g._id.owner)}|${g._id.category}|${CASE_AGES[i]!.key}`;
      cells.set(key, { college: id(g._id.college), owner: id(g._id.owner), category: g._id.category, age: CASE_AGES[i]!.key, open: g.n, overdue: 0 });
    }
  });
  // Overdue cases are counted per college × owner × category; they sit in the oldest age cell of that group.
  for (const g of overdue) {
    const candidates = [...CASE_AGES].reverse().map((age) => cells.get(`${id(g._id.college)}|${id(g._id.owner)}|${g._id.category}|${age.key}`)).filter((c) => !!c);
    let left = g.n;
    for (const c of candidates) {
      const take = Math.min(left, c.open - c.overdue);
      c.overdue += take;
      left -= take;
    }
  }
  return [...cells.values()];
}

export async function goodNewsFigures(yearStart: Date) {
  type Grouped = { _id: { college: Types.ObjectId; owner: Types.ObjectId }; n: number };
  const group = { $group: { _id: { college: '$college', owner: '$owner' }, n: { $sum: 1 } } };
  const [letters, delivered] = await Promise.all([
    AwardModel.aggregate<Grouped>([{ $match: { goodNews: true, date: { $gte: yearStart } } }, group]),
    AwardModel.aggregate<Grouped>([{ $match: { goodNews: true, date: { $gte: yearStart }, 'deliveries.channel': { $exists: true } } }, group]),
  ]);
  const cells = new Map<string, { college: string; owner: string; letters: number; delivered: number }>();
  for (const g of letters) cells.set(`${id(g._id.college)}|${id(g._id.owner)}`, { college: id(g._id.college), owner: id(g._id.owner), letters: g.n, delivered: 0 });
  for (const g of delivered) {
    const c = cells.get(`${id(g._id.college)}|${id(g._id.owner)}`);
    if (c) c.delivered = g.n;
  }
  return [...cells.values()];
}

export function beijingDay(at: Date): string {
  return DateTime.fromJSDate(at).setZone(ZONE).toISODate()!;
}
