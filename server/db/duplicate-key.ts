/**
 * True when a write was refused by a unique index. Rules that must hold under concurrency ("one open
 * case per student and category", "an idempotency key is claimed once") are inserts on a unique key;
 * the loser sees this error. FerretDB reports it with the same code as MongoDB (and only the code).
 */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
