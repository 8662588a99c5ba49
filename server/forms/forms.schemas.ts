import { z } from 'zod/v4';
import { page } from '../http/contract/fields';

/**
 * The Form.io API's inputs. Queries are strict, with the parameters @formio/js itself sends (`live=1`
 * when the renderer loads a form; `state`, `owner`, `sort` when it looks for a draft). A submission body
 * is the Form.io envelope: `data` (checked field by field against the form definition), `state` and
 * `metadata`, plus the envelope fields the SDK sends back when it saves a loaded submission, which the
 * service owns and ignores (never takes from the client).
 */
export const formParams = z.object({ id: z.string().min(1).max(60) }).strict();
export const submissionParams = z.object({ id: z.string().min(1).max(60), sid: z.string().regex(/^[0-9a-f]{24}$/, 'a submission id') }).strict();
export const formListQuery = z.object(page(100)).strict();
export const formQuery = z.object({ live: z.enum(['0', '1']).optional() }).strict();
export const submissionListQuery = z
  .object({
    ...page(100),
    state: z.enum(['submitted', 'draft']).optional(),
    owner: z.string().regex(/^[0-9a-f]{24}$/, 'a user id').optional(),
    sort: z.enum(['-created', 'created']).optional(),
  })
  .strict();

const SERVICE_OWNED = ['_id', 'form', 'owner', 'project', 'created', 'modified', 'roles', 'access', 'externalIds', 'externalTokens', '_fvid', '_vid', '_vnote', 'deleted', 'formPath', 'formVersion', 'college', 'redacted', 'linked'] as const;

export const submissionBody = z
  .object({
    data: z.record(z.string(), z.unknown()),
    state: z.enum(['submitted', 'draft']).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    ...Object.fromEntries(SERVICE_OWNED.map((key) => [key, z.unknown().optional()])),
  })
  .strict();

/** A form definition as the builder saves it: checked in full by `parseDefinition`. */
export const formDefinitionBody = z.record(z.string(), z.unknown());
