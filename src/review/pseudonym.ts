import { createHmac, randomBytes } from 'node:crypto';

/** How reviewer ids appear in a review (docs/review.md#reviewer-ids). */
export interface ReviewerIds {
  mode: 'pseudonymized' | 'plain';
  /** The HMAC key; absent: a random key per process, so pseudonyms do not link across runs. */
  key?: string;
}

// one random key per process when none is configured: stable within one server's life
let processKey: Buffer | undefined;

/**
 * Reviewer ids as the report prints them: a keyed hash (HMAC-SHA256, first 10 hex digits) so
 * a reader can follow one person through the page without learning who it is, and nobody
 * without the key can test a guessed id against it. Plain ids only when configured.
 */
export function reviewerNamer(ids: ReviewerIds): (id: string | null | undefined) => string {
  if (ids.mode === 'plain') return (id) => id ?? '—';
  const key = ids.key ?? (processKey ??= randomBytes(32));
  const cache = new Map<string, string>();
  return (id) => {
    if (id === null || id === undefined) return '—';
    // system actors are not people: their names say what they are
    if (id.startsWith('sys-')) return id;
    let name = cache.get(id);
    if (!name) cache.set(id, (name = `r-${createHmac('sha256', key).update(id).digest('hex').slice(0, 10)}`));
    return name;
  };
}
