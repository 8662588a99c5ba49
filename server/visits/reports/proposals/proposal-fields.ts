import type { FieldProblem } from '../../../http/problem';
import { FIELD_LABELS, parseArchiveInput, type ArchiveInput } from '../../../students/archive-input';

/**
 * The archive fields a visit may propose to change (D8): the family's situation (its finances, sealed),
 * the home address, the guardians and their phones, the care tier and the special categories.
 */
export const PROPOSABLE_FIELDS = ['homeAddress', 'guardians', 'careTier', 'specialCategories', 'familyFinances'] as const;
export type ProposableField = (typeof PROPOSABLE_FIELDS)[number];
export const SEALED_PROPOSAL_FIELDS: readonly ProposableField[] = ['familyFinances'];
export const isSealedField = (field: ProposableField): boolean => SEALED_PROPOSAL_FIELDS.includes(field);

export const PROPOSAL_FIELD_ZH: Record<ProposableField, string> = Object.fromEntries(PROPOSABLE_FIELDS.map((f) => [f, FIELD_LABELS[f]!])) as Record<ProposableField, string>;
export const PROPOSAL_FIELD_EN: Record<ProposableField, string> = { homeAddress: 'home address', guardians: 'guardians', careTier: 'care tier', specialCategories: 'special categories', familyFinances: 'family finances' };

/**
 * Where a report keeps the sealed proposed value among its `sealed` ciphertexts. No dot in the key: key
 * rotation addresses each ciphertext as `sealed.<key>`.
 */
export const sealedProposalKey = (field: ProposableField): string => `proposed${field[0]!.toUpperCase()}${field.slice(1)}`;

/** The plain proposals a report keeps (the sealed ones are in its `sealed` map). */
export type PlainProposals = Partial<Pick<ArchiveInput, 'homeAddress' | 'guardians' | 'careTier' | 'specialCategories'>>;

/** What a report's `proposals` part asks, checked by the archive's own rules (the validator of a direct archive edit). */
export function parseProposals(raw: Record<string, unknown>): { plain: PlainProposals; sealed: Partial<Record<ProposableField, string | null>>; problems: FieldProblem[] } {
  const { value, problems } = parseArchiveInput(raw, { partial: true });
  const plain: PlainProposals = {};
  if (value.homeAddress !== undefined) plain.homeAddress = value.homeAddress;
  if (value.guardians !== undefined) plain.guardians = value.guardians;
  if (value.careTier !== undefined) plain.careTier = value.careTier;
  if (value.specialCategories !== undefined) plain.specialCategories = value.specialCategories;
  const sealed: Partial<Record<ProposableField, string | null>> = {};
  if (value.sensitive?.familyFinances !== undefined) sealed.familyFinances = value.sensitive.familyFinances;
  return { plain, sealed, problems: problems.map((p) => ({ ...p, path: `proposals.${p.path}` })) };
}

/** One field's value in a form that compares equal exactly when the archive would see no change. */
export function comparableValue(field: ProposableField, value: unknown): string {
  if (value === undefined || value === null || value === '') return 'null';
  if (field === 'guardians') {
    const list = Array.isArray(value) ? (value as Array<{ name?: string; relation?: string; phone?: string }>) : [];
    return JSON.stringify(list.map((g) => ({ name: g.name ?? '', relation: g.relation ?? '', phone: g.phone ?? '' })));
  }
  if (field === 'specialCategories') return JSON.stringify(Array.isArray(value) ? [...(value as string[])] : []);
  return JSON.stringify(value);
}

/** A plain copy of an archive field's value for storage and answers (mongoose arrays and sub-documents flattened). */
export function plainValue(field: ProposableField, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (field === 'guardians') return (value as Array<{ name: string; relation: string; phone: string }>).map((g) => ({ name: g.name, relation: g.relation, phone: g.phone }));
  if (field === 'specialCategories') return [...(value as string[])];
  return value;
}
