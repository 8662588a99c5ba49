import { Schema, model } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import { isDuplicateKey } from '../db/duplicate-key';

/**
 * One-time moments of a family's letter, each an insert under its own `_id`:
 * `<letter>:opened`, `<letter>:answered` (counted on the campaign once), `<letter>:form:<submission>` (a feedback
 * form, whatever its retries), `<letter>:place:<n>` (the n-th of the letter's feedback places) and
 * `<letter>:delivery:<n>` (the n-th change of its delivery state, letter-outbox.ts).
 * A guarded update on the letters themselves (`{_id, openedAt: null}`) would do the same on MongoDB, but the
 * embedded FerretDB serves only a bare `{_id}` filter without reading every letter of the school (issue #10);
 * inserting on the unique `_id` is served from its index on every engine.
 */
const letterClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    /** A place: the feedback form it was given to. */
    submission: { type: String },
    /** A feedback form: the place it was given. */
    place: { type: Number },
  },
  { versionKey: false },
);

letterClaimSchema.plugin(auditWrites, { resourceType: 'letterClaim' });

export const LetterClaimModel = model('LetterClaim', letterClaimSchema);

/** True for the one caller that inserted the claim; false for everyone after it. */
export async function claimOnce(id: string, at: Date, submission?: string): Promise<boolean> {
  try {
    await LetterClaimModel.create({ _id: id, at, submission });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** Gives a claim back (a form that found no place left). */
export async function releaseClaim(id: string): Promise<void> {
  await LetterClaimModel.deleteOne({ _id: id });
}
