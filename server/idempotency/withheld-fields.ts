const WITHHELD = Symbol('withheldOnReplay');

/**
 * Marks fields of an answer as secrets that must never be stored for an `Idempotency-Key` replay
 * (an API key's plaintext). A replay answers them as `null` and names them in `Idempotent-Withheld`;
 * the record was still created once, so the client revokes it if it lost the secret.
 * The mark is a symbol property: it is not serialised into the answer itself.
 */
export function withheldOnReplay<T extends object>(answer: T, ...fields: Array<keyof T & string>): T {
  Object.defineProperty(answer, WITHHELD, { value: fields, enumerable: false });
  return answer;
}

/** The answer as it may be stored: marked fields set to null, and which they were. */
export function storableAnswer(answer: unknown): { body: unknown; withheld: string[] } {
  if (!answer || typeof answer !== 'object') return { body: answer, withheld: [] };
  const fields = (answer as { [WITHHELD]?: string[] })[WITHHELD] ?? [];
  if (fields.length === 0) return { body: answer, withheld: [] };
  const copy: Record<string, unknown> = { ...(answer as Record<string, unknown>) };
  for (const field of fields) copy[field] = null;
  return { body: copy, withheld: fields };
}
