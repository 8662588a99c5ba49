import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import type { LetterChannel } from './letter-vocabulary';

/** What the launch reads of each student of the audience. */
export interface AudienceStudent {
  _id: Types.ObjectId;
  name: string;
  college: Types.ObjectId;
  counselor?: Types.ObjectId | null;
  grade: string;
  careTier?: string | null;
  guardians?: Array<{ phone?: string | null; email?: string | null }>;
}

export interface Family {
  /** The lowest archive id among the family's students: the same family gets the same key on every launch. */
  key: string;
  students: AudienceStudent[];
  phones: string[];
  emails: string[];
}

/** Mobile numbers compare without spaces, dashes or the +86 prefix. */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/[\s()-]/g, '');
  return digits.replace(/^(?:\+?86)(1\d{10})$/, '$1');
}

/**
 * The family rule (B6 §2): students whose guardians share a phone number — or an e-mail address — are one
 * family (siblings, or one guardian registered for several students), transitively; a student with no
 * shared contact is a family alone. Deterministic for the same archives, so a resumed launch rebuilds the
 * same families.
 */
export function groupFamilies(students: AudienceStudent[]): Family[] {
  const parent = students.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  students.forEach((student, i) => {
    for (const contact of contactsOf(student)) {
      const seen = owner.get(contact);
      if (seen === undefined) owner.set(contact, i);
      else {
        const [a, b] = [root(seen), root(i)];
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const groups = new Map<number, AudienceStudent[]>();
  students.forEach((student, i) => {
    const r = root(i);
    const group = groups.get(r) ?? [];
    group.push(student);
    groups.set(r, group);
  });
  return [...groups.values()].map((members) => {
    members.sort((a, b) => (String(a._id) < String(b._id) ? -1 : 1));
    const phones = new Set<string>();
    const emails = new Set<string>();
    for (const m of members) {
      for (const g of m.guardians ?? []) {
        if (g.phone) phones.add(normalizePhone(g.phone));
        if (g.email) emails.add(g.email.trim().toLowerCase());
      }
    }
    return { key: String(members[0]!._id), students: members, phones: [...phones], emails: [...emails] };
  });
}

function contactsOf(student: AudienceStudent): string[] {
  const contacts: string[] = [];
  for (const g of student.guardians ?? []) {
    if (g.phone) contacts.push(`p:${normalizePhone(g.phone)}`);
    if (g.email) contacts.push(`e:${g.email.trim().toLowerCase()}`);
  }
  return contacts;
}

/** The letter's id: a hash of campaign and family, so it reveals neither and an insert cannot repeat. */
export function letterIdOf(campaignId: string, familyKey: string): string {
  return createHash('sha256').update(`${campaignId}:${familyKey}`).digest('hex').slice(0, 24);
}

/** SMS needs a mobile number, e-mail an address; a printed letter reaches every family (the fallback). */
export function channelFor(family: Family, preference: readonly LetterChannel[]): LetterChannel {
  for (const channel of preference) {
    if (channel === 'sms' && family.phones.some((p) => /^1\d{10}$/.test(p))) return 'sms';
    if (channel === 'email' && family.emails.length > 0) return 'email';
    if (channel === 'print') return 'print';
  }
  return 'print';
}

/** Given names for the greeting: 张三、张四. */
export function greetingOf(family: Family): string {
  return family.students.map((s) => s.name).join('、');
}
