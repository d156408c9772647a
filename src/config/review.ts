import { z } from 'zod';

/**
 * The governance review (docs/review.md): how reviewer ids appear, and where case links point.
 * Config file only (`review: {...}`).
 */
export const reviewConfigSchema = z
  .object({
    /** pseudonymized (a keyed hash) unless a deployment decides its leads may see names. */
    reviewerIds: z.enum(['pseudonymized', 'plain']).default('pseudonymized'),
    /** The HMAC key; without one each process draws a random key, so pseudonyms do not link across reports. */
    pseudonymKey: z.string().min(16, 'use a key of at least 16 characters').optional(),
    /** Case links are `<caseLinkBase>/v1/cases/<id>`; empty: relative to the server that serves the page. */
    caseLinkBase: z.string().regex(/^(https?:\/\/[^\s"'<>]+)?$/, 'expected http(s)://host[:port] or empty').default(''),
  })
  .strict();
export type ReviewConfig = z.output<typeof reviewConfigSchema>;
